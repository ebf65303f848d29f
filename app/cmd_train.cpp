#include "command_registry.hpp"
#include "usable_cores.hpp"

#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/trainer.hpp>

#include <atomic>
#include <csignal>
#include <memory>

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

struct TrainArgs {
    std::string config = "configs/chapter4.json";
    std::vector<std::string> overrides;
    std::string resume_dir;
    bool quiet = false;
    std::size_t log_every = 0;
    bool overwrite = false;
    bool no_plots = false;
    // Every core by default: the results are the same bits for any thread count.
    std::size_t threads = mm::app::usable_cores();
};

int run(const TrainArgs& args) {
    mm::TrainOptions options;
    options.quiet = args.quiet;
    if (args.log_every) options.log_every = args.log_every;
    options.overwrite = args.overwrite;
    options.plots = !args.no_plots;
    options.threads = args.threads;
    options.interrupt = &g_interrupted;
    options.config_source = args.config;
    // Ctrl-C (and a polite kill) finish the current iteration and leave a checkpoint.
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    // A file-size limit (ulimit -f) would otherwise kill the process mid-write with SIGXFSZ;
    // ignored, the write fails with EFBIG and the user gets the error naming the file.
    std::signal(SIGXFSZ, SIG_IGN);
    const mm::TrainOutcome outcome = args.resume_dir.empty()
                                         ? mm::train(mm::load_config(args.config, args.overrides),
                                                     options)
                                         : mm::resume(args.resume_dir, options);
    return outcome == mm::TrainOutcome::interrupted ? 130 : 0;
}

mm::app::CommandRegistration registration(40, [](CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto* cmd = app.add_subcommand("train", "Train a network from a JSON config (the main job)");
    cmd->add_option("config", args->config, "JSON config file")
        ->capture_default_str();
    cmd->add_option("--set", args->overrides,
                    "Override a config key, e.g. --set training.seed=3 (repeatable)")
        ->type_name("KEY.PATH=VALUE");
    auto* resume = cmd->add_option("--resume", args->resume_dir,
                                   "Continue the run in RUN_DIR from its last checkpoint")
                       ->type_name("RUN_DIR");
    cmd->add_flag("--quiet,-q", args->quiet, "No progress output");
    cmd->add_option("--log-every", args->log_every,
                    "Progress line every N iterations when not on a terminal")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--overwrite", args->overwrite, "Replace an earlier run in the output directory");
    cmd->add_flag("--no-plots", args->no_plots, "Do not write plots and report at the end");
    cmd->add_option("--threads", args->threads, "Threads for the first layer and the evaluation (results do not change)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    resume->excludes("--set");
    resume->excludes("--overwrite");
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
