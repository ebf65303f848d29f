#pragma once
// The book's Figure 4-11: the batch loss at every iteration (drawn light) with a moving average
// over it (drawn dark, each value at the middle of its window), as an SVG document.
#include <mnist_minibatch/csv_log.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace mm {

struct LossChartOptions {
    std::string column = "cee";  // "cee" (cross-entropy error) or "sse" (sum of squared errors)
    bool log_scale = false;
    // Points in the trailing moving average; 0 picks about 1/50 of the log (at least 1).
    std::size_t smoothing_window = 0;
};

// Trailing moving average of the finite values among the last `window` points; NaN where that
// window holds none. Computed on every point: downsampling happens only when drawing.
std::vector<double> moving_average(const std::vector<double>& v, std::size_t window);

// The chart of a loss.csv log (mm::loss_log_columns()). Any data draw: no rows, one row, constant
// values, nan/inf gaps (left out and counted in a note), millions of rows.
std::string loss_chart_svg(const CsvLog& loss_log, const LossChartOptions& options = {});

// The loss.csv column of a config's or summary's loss name: "sse" for "sum_squares", else "cee"
// (also when the run does not say).
std::string loss_column_of(const std::string& loss_name);

// "cross-entropy error" / "sum of squared errors" for "cee" / "sse"; throws mm::Error otherwise.
std::string loss_column_name(const std::string& column);

}  // namespace mm
