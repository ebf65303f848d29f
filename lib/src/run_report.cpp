#include <mnist_minibatch/base64.hpp>
#include <mnist_minibatch/run_report.hpp>
#include <mnist_minibatch/svg_writer.hpp>

#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace mm {
namespace {

using Facts = std::vector<std::pair<std::string, std::string>>;

std::string format(const char* pattern, double v) {
    if (std::isnan(v)) return "nan (diverged)";
    if (std::isinf(v)) return v > 0 ? "inf (diverged)" : "-inf (diverged)";
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, v);
    return buf;
}

std::string accuracy_text(double a) {
    if (!std::isfinite(a)) return format("%.4f", a);
    return format("%.4f", a) + " (" + format("%.2f", 100 * a) + "%)";
}

double last(const std::vector<double>& v) {
    return v.empty() ? std::nan("") : v.back();
}

Facts summary_facts(const RunSummary& s) {
    return {{"status", "finished"},
            {"iterations", std::to_string(s.iterations)},
            {"wall time", format("%.1f s", s.wall_seconds) + " (" +
                              format("%.1f", s.iterations_per_second) + " iterations/s)"},
            {"trained loss", s.loss},
            {"dataset", s.dataset_name + " (" + s.dataset_dir + ")"},
            {"final train loss", format("%.6g", s.train_loss)},
            {"final train accuracy", accuracy_text(s.train_accuracy)},
            {"final test loss", format("%.6g", s.test_loss)},
            {"final test accuracy", accuracy_text(s.test_accuracy)},
            {"config hash", s.config_hash}};
}

Facts progress_facts(const CsvLog& loss_log, const CsvLog& epoch_log) {
    Facts facts{{"status", "running or interrupted (no summary.json yet)"},
                {"iterations logged", std::to_string(loss_log.rows())}};
    if (loss_log.rows() > 0) {
        facts.emplace_back("last logged iteration",
                           format("%.0f", last(loss_log.column("iteration"))) + " (epoch " +
                               format("%.2f", last(loss_log.column("epoch"))) + ")");
        facts.emplace_back("elapsed", format("%.1f s", last(loss_log.column("elapsed_s"))));
        facts.emplace_back("last batch loss", "cee " + format("%.6g", last(loss_log.column("cee"))) +
                                                  ", sse " +
                                                  format("%.6g", last(loss_log.column("sse"))));
    }
    if (epoch_log.rows() > 0) {
        facts.emplace_back("latest evaluation",
                           "iteration " + format("%.0f", last(epoch_log.column("iteration"))) +
                               " (epoch " + format("%.2f", last(epoch_log.column("epoch"))) + ")");
        facts.emplace_back("train accuracy", accuracy_text(last(epoch_log.column("train_accuracy"))));
        facts.emplace_back("test accuracy", accuracy_text(last(epoch_log.column("test_accuracy"))));
    }
    return facts;
}

void section(std::string& html, const char* id, const char* heading) {
    html += "<section id=\"";
    html += id;
    html += "\">\n<h2>";
    html += heading;
    html += "</h2>\n";
}

void note(std::string& html, const std::string& text) {
    html += "<p class=\"note\">" + xml_escape(text) + "</p>\n";
}

const char* style_sheet = R"(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto;
       max-width: 1400px; color: #222; background: #fafafa; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin: 0 0 8px 0; }
.run-dir { color: #555; font-family: monospace; margin-top: 0; }
section { background: white; border: 1px solid #ddd; border-radius: 6px; padding: 14px 18px;
          margin: 14px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
.charts section { margin: 0; flex: 1 1 640px; }
svg.chart { max-width: 100%; height: auto; }
table.facts td { padding: 2px 14px 2px 0; vertical-align: top; }
table.facts td:first-child { color: #555; }
.note { color: #a33; }
pre { background: #f4f4f4; padding: 10px; overflow-x: auto; font-size: 12px; }
img.mistakes { image-rendering: pixelated; max-width: 100%; }
)";

}  // namespace

std::string run_report_html(const RunReportContent& c, const CsvLog& loss_log,
                            const CsvLog& epoch_log) {
    std::string html =
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"utf-8\"/>\n<title>Run report: " + xml_escape(c.run_dir) +
        "</title>\n<style>" + style_sheet + "</style>\n</head>\n<body>\n"
        "<h1>mnist-train run report</h1>\n<p class=\"run-dir\">" + xml_escape(c.run_dir) + "</p>\n";

    section(html, "summary", "Summary");
    html += "<table class=\"facts\">\n";
    const Facts facts = c.summary ? summary_facts(*c.summary) : progress_facts(loss_log, epoch_log);
    for (const auto& [key, value] : facts)
        html += "<tr><td>" + xml_escape(key) + "</td><td>" + xml_escape(value) + "</td></tr>\n";
    html += "</table>\n</section>\n<div class=\"charts\">\n";

    section(html, "loss", "Loss per iteration (Figure 4-11)");
    html += c.loss_svg + "</section>\n";
    section(html, "accuracy", "Accuracy per epoch (Figure 4-12)");
    html += c.accuracy_svg + "</section>\n</div>\n";

    section(html, "confusion", "Test confusion matrix");
    if (c.confusion_svg.empty())
        note(html, c.confusion_note);
    else
        html += c.confusion_svg;
    html += "</section>\n";

    section(html, "mistakes", "Misclassified test digits (true > predicted)");
    if (c.mistakes_png.empty()) {
        note(html, c.mistakes_note);
    } else {
        html += "<img class=\"mistakes\" alt=\"misclassified test digits, each labelled true &gt; "
                "predicted\" src=\"data:image/png;base64," +
                base64_encode(c.mistakes_png) + "\"/>\n";
    }
    html += "</section>\n";

    section(html, "config", "Configuration");
    if (c.config.is_null())
        note(html, "config.json is missing from the run directory");
    else
        html += "<pre>" + xml_escape(c.config.dump(2)) + "</pre>\n";
    html += "</section>\n</body>\n</html>\n";
    return html;
}

}  // namespace mm
