#pragma once
// Loss, accuracy and confusion matrix of a network over a whole split, computed in blocks read
// straight from the uint8 images (of a block at most half nonzero, only the nonzero pixels are
// read and converted). The
// blocks may be spread over threads; each block's sums are kept apart and merged in block order,
// so the result does not depend on the thread count.
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/nonzero_pixels.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <cstddef>
#include <vector>

namespace mm {

struct Mistake {
    std::size_t index;
    std::size_t label;
    std::size_t predicted;
};

struct EvaluationResult {
    double cross_entropy = 0;  // averaged over the split
    double sum_squares = 0;    // averaged over the split
    std::size_t correct = 0;
    std::size_t total = 0;
    std::size_t num_classes = 0;
    std::vector<std::size_t> confusion;  // num_classes x num_classes, row = true label
    std::vector<Mistake> mistakes;       // the first `max_mistakes` misclassified items

    double accuracy() const { return total ? static_cast<double>(correct) / total : 0.0; }
    double loss(LossKind kind) const {
        return kind == LossKind::cross_entropy ? cross_entropy : sum_squares;
    }
};

// On a pool of `threads` (at least 1) threads, each taking every threads-th block. Throws
// mm::Error when threads is 0.
template <class T>
EvaluationResult evaluate(const Network<T>& network, const MnistSplit& split, bool normalize,
                          std::size_t max_mistakes = 0, std::size_t threads = 1);

// The same with the split's nonzero pixel index found beforehand and the blocks on `pool`'s
// threads, or on the calling thread without one (a training run evaluates the same splits many
// times, on the pool of its steps). Throws mm::Error when the index is not of a split of this
// size.
template <class T>
EvaluationResult evaluate(const Network<T>& network, const MnistSplit& split,
                          const NonzeroPixels& nonzero, bool normalize, std::size_t max_mistakes,
                          ThreadPool* pool);

}  // namespace mm
