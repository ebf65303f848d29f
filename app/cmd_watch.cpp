// `mnist-train watch RUN_DIR`: follows a run from another terminal (or another machine sharing
// the folder): a text chart of the loss and the latest evaluation, redrawn as loss.csv grows.
#include "command_registry.hpp"

#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/csv_log_follower.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/loss_chart.hpp>
#include <mnist_minibatch/run_summary.hpp>
#include <mnist_minibatch/text_chart.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t interrupted = 0;

void on_interrupt(int) { interrupted = 1; }

struct Options {
    std::string run_dir;
    std::string loss_column;
    double interval_s = 1.0;
    std::size_t width = 64, height = 12;
    bool once = false;
};

std::string format(const char* pattern, double v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, pattern, v);
    return buf;
}

// The loss the run trains, as written in its config.json; cee when it cannot tell yet.
std::string trained_loss_column(const fs::path& dir) {
    const auto j = mm::read_json_file((dir / "config.json").string());
    const auto loss = j.is_object() ? j.find("loss") : j.end();
    return mm::loss_column_of(loss != j.end() && loss->is_string() ? loss->get<std::string>() : "");
}

std::string frame(const Options& o, const std::string& column, const mm::CsvLogFollower& loss,
                  const mm::CsvLogFollower& epochs, const fs::path& summary) {
    std::string out = "mnist-train watch " + o.run_dir + "\n";
    const mm::CsvLog& l = loss.log();
    if (!loss.exists() || l.rows() == 0) {
        out += "waiting for the first line of " + (fs::path(o.run_dir) / "loss.csv").string() + "\n";
    } else {
        const auto& y = l.column(column);
        out += "iteration " + format("%.0f", l.column("iteration").back()) + "  epoch " +
               format("%.2f", l.column("epoch").back()) + "  elapsed " +
               format("%.1f s", l.column("elapsed_s").back()) + "  " + column + " " +
               format("%.6g", y.back()) + "  (" + std::to_string(l.rows()) + " iterations logged)\n";
        out += "batch loss (" + mm::loss_column_name(column) + ") per iteration:\n";
        out += mm::text_chart(l.column("iteration"), y, o.width, o.height);
    }
    const mm::CsvLog& e = epochs.log();
    if (e.rows() > 0)
        out += "latest evaluation: iteration " + format("%.0f", e.column("iteration").back()) +
               " (epoch " + format("%.2f", e.column("epoch").back()) + ")  train acc " +
               format("%.4f", e.column("train_accuracy").back()) + "  test acc " +
               format("%.4f", e.column("test_accuracy").back()) + "\n";
    else
        out += "no evaluation yet\n";
    if (fs::exists(summary)) {
        const mm::RunSummary s = mm::read_run_summary(summary.string());
        out += "finished: " + std::to_string(s.iterations) + " iterations in " +
               format("%.1f s", s.wall_seconds) + ", final test accuracy " +
               format("%.4f", s.test_accuracy) + "\n";
    }
    return out;
}

int run(const Options& o) {
    const fs::path dir(o.run_dir);
    if (!fs::is_directory(dir)) throw mm::Error("run directory '" + o.run_dir + "' does not exist");
    const fs::path summary = dir / "summary.json";
    mm::CsvLogFollower loss((dir / "loss.csv").string(), mm::loss_log_columns());
    mm::CsvLogFollower epochs((dir / "epochs.csv").string(), mm::epoch_log_columns());
    const bool terminal = ::isatty(STDOUT_FILENO) && !o.once;
    std::signal(SIGINT, on_interrupt);

    std::string column = o.loss_column;
    for (bool first = true;; first = false) {
        if (column.empty() && fs::exists(dir / "config.json")) column = trained_loss_column(dir);
        const bool loss_grew = loss.poll();
        const bool epochs_grew = epochs.poll();
        const bool grew = loss_grew || epochs_grew;
        const bool done = fs::exists(summary);
        if (first || grew || done) {
            const std::string text = frame(o, column.empty() ? "cee" : column, loss, epochs, summary);
            // On a terminal the frame replaces the previous one; in a pipe frames follow each other.
            std::fputs(terminal ? ("\x1b[H\x1b[2J" + text).c_str() : (text + "\n").c_str(), stdout);
            std::fflush(stdout);
        }
        if (o.once || done) return 0;
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::duration<double>(o.interval_s);
        while (!interrupted && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (interrupted) return 0;
    }
}

mm::app::CommandRegistration reg(61, [](CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "watch", "Follow a run live in the terminal: loss chart and latest evaluation, redrawn as "
                 "loss.csv grows; stops when summary.json appears or on Ctrl-C");
    auto opts = std::make_shared<Options>();
    cmd->add_option("RUN_DIR", opts->run_dir, "Run directory of a running (or finished) run")
        ->required();
    cmd->add_option("--loss", opts->loss_column, "cee or sse (default: the one the run trains)")
        ->check(CLI::IsMember({"cee", "sse"}));
    cmd->add_option("--interval", opts->interval_s, "Seconds between looks at the files")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 3600.0));
    cmd->add_option("--width", opts->width, "Chart width in characters")
        ->capture_default_str()
        ->check(CLI::Range(8, 1000));
    cmd->add_option("--height", opts->height, "Chart height in lines")
        ->capture_default_str()
        ->check(CLI::Range(3, 200));
    cmd->add_flag("--once", opts->once, "Print one frame and exit");
    return std::function<int()>([opts] { return run(*opts); });
});

}  // namespace
