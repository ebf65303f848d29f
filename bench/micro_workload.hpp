#pragma once
// The inputs every microbenchmark shares: a synthetic MNIST-like split (so the benchmarks need no
// data files), the chapter-4 network with the book's initialisation, and batches drawn like the
// training loop draws them.
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/network.hpp>

#include <cstddef>
#include <vector>

namespace mm::bench {

inline constexpr std::size_t kBatchSize = 100;
inline constexpr std::size_t kTrainSize = 60000;
inline constexpr std::size_t kTestSize = 10000;

// `count` 28x28 images whose ink lies in the centred 20x20 box, as in MNIST, with the box's
// pixels non-zero at a rate that makes 81% of all pixels zero (MNIST's train set: 80.9%), and
// labels 0..9. Deterministic: the same count gives the same split.
MnistSplit synthetic_mnist_split(std::size_t count);

// The fraction of zero pixels of a split, to state the sparsity the numbers were taken at.
double zero_fraction(const MnistSplit& split);

// 784-50-10 sigmoid network with W = 0.01 * randn (np.random.seed(0)), b = 0.
template <class T>
Network<T> chapter4_network();

// `count` indices in [0, n) from np.random.choice(n, count) after np.random.seed(seed).
std::vector<std::size_t> batch_indices(std::size_t n, std::size_t count, unsigned seed);

}  // namespace mm::bench
