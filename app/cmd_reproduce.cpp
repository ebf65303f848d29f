#include "command_registry.hpp"

#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/model_file.hpp>
#include <mnist_minibatch/trainer.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

namespace {

// The shared reference README shows independent implementations stay within 2e-15; 1e-12 leaves
// room for any summation order while still catching a wrong formula at the first iteration.
constexpr double kLossTolerance = 1e-12;

struct ReproduceArgs {
    std::string config = "configs/chapter4-book.json";
    std::uint32_t seed = 0;
    std::optional<std::size_t> iterations;
    std::string reference;
    std::string output;
    bool quiet = false;
};

double number_at(const nlohmann::json& j, const std::string& where) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return std::strtod(j.get<std::string>().c_str(), nullptr);
    throw mm::Error(where + ": expected a number");
}

const nlohmann::json& ref_field(const nlohmann::json& ref, const char* key, const std::string& path) {
    if (!ref.is_object() || !ref.contains(key) || !ref.at(key).is_array())
        throw mm::Error(path + ": /" + key + ": missing or not an array (is this a "
                        "chapter4_train_seed*.json reference file?)");
    return ref.at(key);
}

// Compares the run's logs with the book's run; returns whether everything agreed.
bool compare(const std::string& run_dir, const std::string& reference_path) {
    const nlohmann::json ref = mm::read_json_file(reference_path, "reference file");
    const auto& ref_loss = ref_field(ref, "loss", reference_path);
    const auto& ref_iters = ref_field(ref, "eval_iterations", reference_path);
    const auto& ref_train = ref_field(ref, "train_correct", reference_path);
    const auto& ref_test = ref_field(ref, "test_correct", reference_path);
    const mm::CsvLog losses = mm::read_csv_log(run_dir + "/loss.csv", mm::loss_log_columns());
    const mm::CsvLog epochs = mm::read_csv_log(run_dir + "/epochs.csv", mm::epoch_log_columns());
    const auto& cee = losses.column("cee");

    // running_max[i]: the largest relative loss difference over iterations 0..i.
    const std::size_t n = std::min(cee.size(), ref_loss.size());
    std::vector<double> running_max(n);
    double max_rel = 0;
    std::size_t worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = number_at(ref_loss[i], reference_path + ": /loss/" + std::to_string(i));
        const double rel = std::fabs(cee[i] - r) / std::fabs(r);
        if (!(rel <= max_rel)) {
            max_rel = rel;
            worst = i;
        }
        running_max[i] = max_rel;
    }
    bool ok = n > 0 && max_rel <= kLossTolerance;

    std::printf("\n%9s | %-23s | %-23s | %s\n", "iteration", "train correct ours/book",
                "test correct ours/book", "max rel loss diff so far");
    const auto& iters = epochs.column("iteration");
    const auto& train = epochs.column("train_correct");
    const auto& test = epochs.column("test_correct");
    std::size_t compared = 0;
    for (std::size_t e = 0; e < iters.size() && e < ref_iters.size(); ++e) {
        const auto it = static_cast<std::size_t>(iters[e]);
        const double so_far = n ? running_max[std::min(it, n - 1)] : 0.0;
        const auto rt = static_cast<std::size_t>(number_at(ref_train[e], reference_path));
        const auto rs = static_cast<std::size_t>(number_at(ref_test[e], reference_path));
        const bool same = static_cast<std::size_t>(number_at(ref_iters[e], reference_path)) == it &&
                          static_cast<std::size_t>(train[e]) == rt &&
                          static_cast<std::size_t>(test[e]) == rs;
        ok = ok && same;
        ++compared;
        std::printf("%9zu | %10zu / %-10zu | %10zu / %-10zu | %.3g %s\n", it,
                    static_cast<std::size_t>(train[e]), rt, static_cast<std::size_t>(test[e]), rs,
                    so_far, same ? "" : "  <-- differs");
    }
    std::printf("\ncompared %zu losses and %zu evaluations with %s\n", n, compared,
                reference_path.c_str());
    std::printf("max relative loss difference %.3g (iteration %zu), tolerance %.0e: %s\n", max_rel,
                worst, kLossTolerance, ok ? "REPRODUCED" : "DIFFERENT");
    return ok;
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
    mm::train(config, options);
    if (args.reference.empty()) {
        std::printf("run written to %s (give --reference FILE to compare it with the book's run)\n",
                    output.c_str());
        return 0;
    }
    return compare(output, args.reference) ? 0 : 1;
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
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
