#pragma once
// The book's Figure 4-12: train accuracy (solid) and test accuracy (dashed) per epoch, y from 0
// to 1, as an SVG document.
#include <mnist_minibatch/csv_log.hpp>

#include <string>

namespace mm {

// The chart of an epochs.csv log (mm::epoch_log_columns()). Values that are not finite or lie
// outside [0, 1] are left out and counted in a note.
std::string accuracy_chart_svg(const CsvLog& epoch_log);

}  // namespace mm
