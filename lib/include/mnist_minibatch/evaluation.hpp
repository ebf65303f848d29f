#pragma once
// Loss, accuracy and confusion matrix of a network over a whole split, computed in blocks so the
// float copy of the images never exceeds one block.
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/network.hpp>

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

template <class T>
EvaluationResult evaluate(Network<T>& network, const MnistSplit& split, bool normalize,
                          std::size_t max_mistakes = 0);

}  // namespace mm
