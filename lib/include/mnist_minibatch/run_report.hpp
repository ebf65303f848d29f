#pragma once
// report.html: one self-contained page about a run (inline SVG charts, the mistakes picture as a
// data: URL, no script, no network), written as polyglot XHTML so it also parses as XML.
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/run_summary.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mm {

struct RunReportContent {
    std::string run_dir;
    nlohmann::json config;              // null when config.json is missing
    std::optional<RunSummary> summary;  // empty while the run is going (or was interrupted)
    std::string loss_svg;
    std::string accuracy_svg;
    std::string confusion_svg;  // empty: confusion_note says why
    std::string confusion_note;
    std::string mistakes_png;  // PNG bytes; empty: mistakes_note says why
    std::string mistakes_note;
};

// The logs give the progress of a run that has no summary yet.
std::string run_report_html(const RunReportContent& content, const CsvLog& loss_log,
                            const CsvLog& epoch_log);

}  // namespace mm
