#pragma once
// The training run: config in, run directory out (config.json, loss.csv, epochs.csv,
// checkpoint.json, model.json, summary.json, plots). The loop itself reads top to bottom in
// trainer.cpp: sample a batch, gather it, forward+backward, update, log, evaluate, checkpoint.
#include <mnist_minibatch/config.hpp>

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>

namespace mm {

struct TrainOptions {
    std::string config_source = "config";  // the config file's name, for messages
    bool quiet = false;                     // no progress output (also config logging.quiet)
    std::optional<std::size_t> log_every;   // overrides logging.every
    bool overwrite = false;                 // replace an earlier run in the output directory
    bool plots = true;                      // also needs output.plots
    std::size_t threads = 1;  // for the first layer and the evaluation; results do not depend on it
    // Set from a signal handler: the run stops after the current iteration with a checkpoint.
    const std::atomic<bool>* interrupt = nullptr;
};

enum class TrainOutcome { finished, interrupted };

// Starts a new run in config.output.dir. `source` names the config for messages.
TrainOutcome train(const Config& config, const TrainOptions& options);

// Continues the run in `run_dir` from its checkpoint (from the start when it has none); the
// result is bit-identical to a run that was never interrupted.
TrainOutcome resume(const std::string& run_dir, const TrainOptions& options);

// A stable hash of the resolved config, kept in checkpoints and summary.json.
std::string config_hash(const Config& config);

}  // namespace mm
