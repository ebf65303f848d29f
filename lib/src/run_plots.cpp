#include <mnist_minibatch/accuracy_chart.hpp>
#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/confusion_chart.hpp>
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/loss_chart.hpp>
#include <mnist_minibatch/mistakes_grid.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/png_writer.hpp>
#include <mnist_minibatch/run_plots.hpp>
#include <mnist_minibatch/run_report.hpp>
#include <mnist_minibatch/run_summary.hpp>
#include <mnist_minibatch/svg_writer.hpp>

#include <filesystem>

namespace mm {
namespace {

namespace fs = std::filesystem;

std::string string_at(const nlohmann::json& j, const char* a, const char* b = nullptr) {
    if (!j.is_object() || !j.contains(a)) return "";
    const auto& v = b ? (j[a].is_object() && j[a].contains(b) ? j[a][b] : nlohmann::json()) : j[a];
    return v.is_string() ? v.get<std::string>() : "";
}

// The loss the run trains, from summary.json, else config.json; "cee" when neither says.
std::string trained_loss_column(const RunReportContent& c) {
    return loss_column_of(c.summary ? c.summary->loss : string_at(c.config, "loss"));
}

// Draws the mistakes with the test images of the dataset the run used; a note when it cannot.
void make_mistakes_picture(RunReportContent& c) {
    if (!c.summary) {
        c.mistakes_note = "No summary.json yet: the misclassified test digits are listed when the "
                          "run ends.";
        return;
    }
    const auto& mistakes = c.summary->test_mistakes;
    if (mistakes.empty()) {
        c.mistakes_note = "The run misclassified no test digit.";
        return;
    }
    std::string name = string_at(c.config, "dataset", "name");
    if (name.empty()) name = c.summary->dataset_name;
    const std::string configured_dir =
        c.config.is_null() ? c.summary->dataset_dir : string_at(c.config, "dataset", "dir");
    try {
        const std::string dir = resolve_data_dir(name, configured_dir);
        const MnistFiles files = find_mnist_files(dir, name);
        const MnistSplit test = load_mnist_split(files.test_images, files.test_labels);
        for (const auto& m : mistakes)
            if (m.index < test.size() && test.labels(m.index) != m.label)
                throw Error("test item " + std::to_string(m.index) + " of " + dir + " has label " +
                            std::to_string(test.labels(m.index)) + " but summary.json says " +
                            std::to_string(m.label) + ": not the data this run used");
        c.mistakes_png = encode_png(mistakes_grid(test, mistakes));
    } catch (const Error& e) {
        c.mistakes_note = std::string("No picture of the misclassified test digits: ") + e.what();
    }
}

}  // namespace

RunPlotsResult write_run_plots(const std::string& run_dir, const RunPlotOptions& options) {
    const fs::path dir(run_dir);
    if (!fs::is_directory(dir)) throw Error("run directory '" + run_dir + "' does not exist");
    const auto file = [&](const char* name) { return (dir / name).string(); };
    if (!fs::exists(file("config.json")) && !fs::exists(file("loss.csv")))
        throw Error("'" + run_dir + "' is not a run directory: it has neither config.json nor " +
                    "loss.csv");

    RunReportContent c;
    c.run_dir = run_dir;
    if (fs::exists(file("config.json"))) c.config = read_json_file(file("config.json"));
    if (fs::exists(file("summary.json"))) c.summary = read_run_summary(file("summary.json"));
    const CsvLog loss_log = fs::exists(file("loss.csv"))
                                ? read_csv_log(file("loss.csv"), loss_log_columns())
                                : parse_csv_log("", file("loss.csv"), loss_log_columns());
    const CsvLog epoch_log = fs::exists(file("epochs.csv"))
                                 ? read_csv_log(file("epochs.csv"), epoch_log_columns())
                                 : parse_csv_log("", file("epochs.csv"), epoch_log_columns());

    LossChartOptions loss_options;
    loss_options.column = options.loss_column.empty() ? trained_loss_column(c) : options.loss_column;
    loss_options.log_scale = options.log_scale;
    loss_options.smoothing_window = options.smoothing_window;
    c.loss_svg = loss_chart_svg(loss_log, loss_options);
    c.accuracy_svg = accuracy_chart_svg(epoch_log);
    if (c.summary)
        c.confusion_svg = confusion_chart_svg(c.summary->test_confusion);
    else
        c.confusion_note = "No summary.json yet: the test confusion matrix is computed when the "
                           "run ends.";
    make_mistakes_picture(c);

    RunPlotsResult result;
    const auto write = [&](const char* name, const std::string& contents) {
        write_file_atomically(file(name), contents);
        result.written.push_back(file(name));
    };
    write("loss.svg", svg_file_contents(c.loss_svg));
    write("accuracy.svg", svg_file_contents(c.accuracy_svg));
    if (c.confusion_svg.empty())
        result.notes.push_back(c.confusion_note);
    else
        write("confusion.svg", svg_file_contents(c.confusion_svg));
    if (c.mistakes_png.empty())
        result.notes.push_back(c.mistakes_note);
    else
        write("mistakes.png", c.mistakes_png);
    write("report.html", run_report_html(c, loss_log, epoch_log));
    return result;
}

void write_run_plots(const std::string& run_dir) { write_run_plots(run_dir, RunPlotOptions{}); }

}  // namespace mm
