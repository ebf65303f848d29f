#pragma once
// The pictures of a run directory: loss.svg, accuracy.svg, confusion.svg, mistakes.png and
// report.html, made from the files there (config.json, loss.csv, epochs.csv, summary.json) and
// written atomically. Works at any moment of a run: before summary.json exists the confusion
// matrix and the mistakes are left out with a note on the page, and a half-written last log line
// is ignored.
#include <cstddef>
#include <string>
#include <vector>

namespace mm {

struct RunPlotOptions {
    std::string loss_column;  // "cee" | "sse"; empty: the loss the run trains
    bool log_scale = false;
    std::size_t smoothing_window = 0;  // 0: automatic
};

struct RunPlotsResult {
    std::vector<std::string> written;  // paths of the files written
    std::vector<std::string> notes;    // pictures left out, and why
};

// Throws mm::Error when run_dir is not a run directory (no config.json and no loss.csv) or when
// one of its files is malformed; missing test data or summary only skip their pictures.
RunPlotsResult write_run_plots(const std::string& run_dir, const RunPlotOptions& options);

// The trainer's call at the end of a run: the default options.
void write_run_plots(const std::string& run_dir);

}  // namespace mm
