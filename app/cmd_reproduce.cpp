#include "command_registry.hpp"
#include "usable_cores.hpp"

#include <mnist_minibatch/book_reference.hpp>
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/trainer.hpp>

#include <cstdio>
#include <memory>
#include <optional>

namespace {

struct ReproduceArgs {
    std::string config = "configs/chapter4-book.json";
    std::uint32_t seed = 0;
    std::optional<std::size_t> iterations;
    std::size_t threads = mm::app::usable_cores();
    std::string reference;
    std::string output;
    bool quiet = false;
};

// Prints the comparison table; returns whether the run reproduced the book's.
bool report(const std::string& run_dir, const std::string& reference_path) {
    const mm::BookComparison c = mm::compare_with_book(run_dir, reference_path);
    std::printf("\n%9s | %-23s | %-23s | %s\n", "iteration", "train correct ours/book",
                "test correct ours/book", "max rel loss diff so far");
    for (const auto& r : c.evaluations)
        std::printf("%9zu | %10zu / %-10zu | %10zu / %-10zu | %.3g%s\n", r.iteration,
                    r.train_correct, r.reference_train_correct, r.test_correct,
                    r.reference_test_correct, r.max_relative_loss_difference_so_far,
                    r.same() ? "" : "  <-- differs");
    std::printf("\ncompared %zu losses and %zu evaluations with %s\n", c.losses_compared,
                c.evaluations.size(), reference_path.c_str());
    std::printf("max relative loss difference %.3g (iteration %zu), tolerance %.0e: %s\n",
                c.max_relative_loss_difference, c.worst_iteration, mm::kBookLossTolerance,
                c.reproduced() ? "REPRODUCED" : "DIFFERENT");
    return c.reproduced();
}

int run(const ReproduceArgs& args) {
    std::vector<std::string> overrides = {"training.seed=" + std::to_string(args.seed)};
    if (args.iterations) overrides.push_back("training.iterations=" + std::to_string(*args.iterations));
    const std::string output =
        args.output.empty() ? "runs/reproduce-seed" + std::to_string(args.seed) : args.output;
    overrides.push_back("output.dir=" + output);
    const mm::Config config = mm::load_config(args.config, overrides);
    mm::TrainOptions options;
    options.quiet = args.quiet;
    options.overwrite = true;
    options.plots = false;
    options.config_source = args.config;
    options.threads = args.threads;
    mm::train(config, options);
    if (args.reference.empty()) {
        std::printf("run written to %s (give --reference FILE to compare it with the book's run)\n",
                    output.c_str());
        return 0;
    }
    return report(output, args.reference) ? 0 : 1;
}

mm::app::CommandRegistration registration(70, [](CLI::App& app) {
    auto args = std::make_shared<ReproduceArgs>();
    auto* cmd = app.add_subcommand(
        "reproduce", "Replay the book's chapter-4 run (numpy RNG, float64) and compare it with a "
                     "reference file");
    cmd->add_option("--config", args->config, "Book-mode config")->capture_default_str();
    cmd->add_option("--seed", args->seed, "np.random.seed value of the book's run")
        ->capture_default_str();
    cmd->add_option("--iterations", args->iterations, "Stop after N iterations (default: all)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--reference", args->reference,
                    "Reference run, e.g. ../shared/reference/chapter4_train_seed0.json");
    cmd->add_option("--output", args->output, "Run directory (default: runs/reproduce-seedS)");
    cmd->add_flag("--quiet,-q", args->quiet, "No progress output");
    cmd->add_option("--threads", args->threads,
                    "Threads for the first layer and the evaluation (results do not change)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
