#pragma once
// The small training run whose files seed the fuzz corpora, and whose architecture, optimizer and
// sampler the model/checkpoint target rebuilds, so that seed checkpoints restore for real.
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/network.hpp>

#include <string>

namespace mm::fuzz {

constexpr std::size_t kSeedTrainSize = 30;
constexpr std::size_t kSeedTestSize = 10;
constexpr std::size_t kSeedBatch = 5;
constexpr const char* kSeedOptimizer = "adam";
constexpr const char* kSeedSampling = "shuffle";

inline NetworkSpec seed_network_spec() { return NetworkSpec{64, {3}, 10, Activation::sigmoid}; }

// 12 iterations with a checkpoint every 5: the run leaves the checkpoint of iteration 10.
inline Config seed_run_config(const std::string& data_dir, const std::string& output_dir,
                              const std::string& dtype) {
    Config c;
    c.dataset.dir = data_dir;
    c.model.hidden_sizes = seed_network_spec().hidden_sizes;
    c.model.dtype = dtype;
    c.optimizer.name = kSeedOptimizer;
    c.optimizer.learning_rate = 0.01;
    c.training.iterations = 12;
    c.training.batch_size = kSeedBatch;
    c.training.sampling = kSeedSampling;
    c.training.eval_every = 4;
    c.output.dir = output_dir;
    c.output.checkpoint_every = 5;
    c.output.plots = false;
    return c;
}

}  // namespace mm::fuzz
