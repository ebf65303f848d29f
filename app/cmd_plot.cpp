// `mnist-train plot RUN_DIR`: (re)makes the charts and report of a run, also while it is going.
#include "command_registry.hpp"

#include <mnist_minibatch/run_plots.hpp>

#include <cstdio>
#include <memory>

namespace {

struct Options {
    std::string run_dir;
    mm::RunPlotOptions plot;
};

int run(const Options& o) {
    const mm::RunPlotsResult result = mm::write_run_plots(o.run_dir, o.plot);
    for (const auto& path : result.written) std::printf("wrote %s\n", path.c_str());
    for (const auto& note : result.notes) std::printf("note: %s\n", note.c_str());
    return 0;
}

mm::app::CommandRegistration reg(60, [](CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "plot", "Write loss.svg, accuracy.svg, confusion.svg, mistakes.png and report.html into "
                "a run directory (also while the run is still going)");
    auto opts = std::make_shared<Options>();
    cmd->add_option("RUN_DIR", opts->run_dir, "Run directory (has config.json and loss.csv)")
        ->required();
    cmd->add_option("--loss", opts->plot.loss_column,
                    "Loss to draw in loss.svg: cee or sse (default: the one the run trains)")
        ->check(CLI::IsMember({"cee", "sse"}));
    cmd->add_flag("--log-y", opts->plot.log_scale, "Logarithmic loss axis");
    cmd->add_option("--smooth", opts->plot.smoothing_window,
                    "Iterations in the moving average (default: about 1/50 of the run)")
        ->check(CLI::PositiveNumber);
    return std::function<int()>([opts] { return run(*opts); });
});

}  // namespace
