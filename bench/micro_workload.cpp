#include "micro_workload.hpp"

#include <mnist_minibatch/numpy_random.hpp>

#include <random>

namespace mm::bench {

MnistSplit synthetic_mnist_split(std::size_t count) {
    constexpr std::size_t side = 28, box_begin = 4, box_end = 24;
    // 19% of 784 pixels = 149 non-zero pixels, all inside the 400-pixel box: a rate of 3724/10000.
    constexpr std::uint32_t nonzero_per_10000 = 3724;
    std::mt19937 rng(20240607);  // raw outputs only: identical on every standard library
    MnistSplit split;
    split.images = xt::zeros<std::uint8_t>({count, side, side});
    split.labels = xt::zeros<std::uint8_t>({count});
    for (std::size_t i = 0; i < count; ++i) {
        split.labels(i) = static_cast<std::uint8_t>(rng() % 10);
        for (std::size_t r = box_begin; r < box_end; ++r)
            for (std::size_t c = box_begin; c < box_end; ++c)
                if (rng() % 10000 < nonzero_per_10000)
                    split.images(i, r, c) = static_cast<std::uint8_t>(1 + rng() % 255);
    }
    return split;
}

double zero_fraction(const MnistSplit& split) {
    std::size_t zeros = 0;
    for (const std::uint8_t p : split.images) zeros += p == 0;
    return static_cast<double>(zeros) / static_cast<double>(split.images.size());
}

template <class T>
Network<T> chapter4_network() {
    Network<T> network{NetworkSpec{}};
    NumpyRandom rng(0);
    network.initialize(rng, InitKind::normal, 0.01);
    return network;
}

template Network<float> chapter4_network<float>();
template Network<double> chapter4_network<double>();

std::vector<std::size_t> batch_indices(std::size_t n, std::size_t count, unsigned seed) {
    NumpyRandom rng(seed);
    std::vector<std::size_t> indices(count);
    rng.choice(n, count, indices.data());
    return indices;
}

}  // namespace mm::bench
