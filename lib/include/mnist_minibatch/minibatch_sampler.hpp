#pragma once
// Which training examples form each mini-batch. Both modes draw from the caller's NumpyRandom,
// so a run's batches can be replayed in Python with the same seed:
//   with_replacement: each batch is one np.random.choice(n, batch) (the book's sampling);
//   shuffle:          each epoch starts with np.random.permutation(n) and hands out its
//                     consecutive slices [0, batch), [batch, 2*batch), ...
// In shuffle mode the last partial slice (n % batch indices) is dropped: every batch then has
// exactly `batch` examples (fixed buffer shapes, equally noisy gradient and loss estimates),
// and since each epoch has a fresh permutation, no example is left out systematically.
// An epoch therefore has n / batch iterations (rounded down), the same count as the book's
// iter_per_epoch = train_size / batch_size when it divides.
#include <mnist_minibatch/numpy_random.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mm {

enum class Sampling { with_replacement, shuffle };

// "with_replacement" | "shuffle"; anything else is an mm::Error listing both.
Sampling parse_sampling(const std::string& name);
std::string sampling_name(Sampling sampling);

class MinibatchSampler {
public:
    // Throws mm::Error for n == 0, batch == 0, or batch > n in shuffle mode (with replacement a
    // batch may be larger than n, as np.random.choice allows). Draws nothing until next().
    MinibatchSampler(NumpyRandom& rng, std::size_t n, std::size_t batch, Sampling sampling);

    // The indices (each in [0, n)) of the next batch; valid until the next call. In shuffle
    // mode the permutation of a new epoch is drawn by the first next() of that epoch.
    const std::vector<std::size_t>& next();

    // shuffle: n / batch; with_replacement: max(n / batch, 1), the book's iter_per_epoch.
    std::size_t iterations_per_epoch() const;

    std::size_t n() const { return n_; }
    std::size_t batch() const { return batch_; }
    Sampling sampling() const { return sampling_; }
    // Batches handed out so far (calls of next()).
    std::uint64_t batches_drawn() const { return batches_drawn_; }

    // The position (not the generator: the caller checkpoints that) as JSON:
    // {"sampling", "n", "batch", "batches_drawn"} and, in shuffle mode, "offset" (the next
    // slice start in the current epoch) and "permutation" (empty before the first epoch).
    nlohmann::json state() const;
    // Restores state(); sampling, n and batch must equal this sampler's. Throws mm::Error
    // "<where><JSON pointer>: expected ..., found ..." and then leaves the sampler unchanged.
    void set_state(const nlohmann::json& state, const std::string& where = "MinibatchSampler state: ");

private:
    NumpyRandom& rng_;
    std::size_t n_;
    std::size_t batch_;
    Sampling sampling_;
    std::uint64_t batches_drawn_ = 0;
    std::vector<std::size_t> permutation_;  // shuffle mode: the current epoch's order
    std::size_t offset_ = 0;
    std::vector<std::size_t> current_;
};

}  // namespace mm
