#pragma once
// A picture of misclassified test digits: a grid of the images, each with its true label (green)
// and the network's prediction (red) underneath, written as "true > predicted".
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/png_writer.hpp>

#include <cstddef>
#include <vector>

namespace mm {

struct Mistake {
    std::size_t index;      // into the test split
    std::size_t label;      // true class
    std::size_t predicted;  // the network's class
};

// Throws mm::Error when `mistakes` is empty, `columns` is 0, or an index lies outside `test`.
RgbImage mistakes_grid(const MnistSplit& test, const std::vector<Mistake>& mistakes,
                       std::size_t columns = 10);

}  // namespace mm
