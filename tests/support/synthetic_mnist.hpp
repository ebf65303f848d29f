#pragma once
// A tiny MNIST-format dataset written with the project's IDX writer: 8x8 images of 10 classes,
// class c drawn as a bright bar at row c % 8 (columns by c / 8) over faint noise, so a network
// learns it in a few dozen iterations. Tests train on it in milliseconds.
#include <mnist_minibatch/idx.hpp>

#include <cstdint>
#include <string>

namespace mm::test {

inline void write_synthetic_split(const std::string& dir, const std::string& prefix,
                                  std::size_t count, std::uint32_t seed) {
    xt::xtensor<std::uint8_t, 3> images = xt::zeros<std::uint8_t>({count, std::size_t{8}, std::size_t{8}});
    xt::xtensor<std::uint8_t, 1> labels = xt::zeros<std::uint8_t>({count});
    std::uint32_t state = seed;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 24;
    };
    for (std::size_t n = 0; n < count; ++n) {
        const auto label = static_cast<std::uint8_t>(next() % 10);
        labels(n) = label;
        for (std::size_t r = 0; r < 8; ++r)
            for (std::size_t c = 0; c < 8; ++c) images(n, r, c) = static_cast<std::uint8_t>(next() % 40);
        const std::size_t row = label % 8;
        const std::size_t first = label < 8 ? 0 : 4;
        for (std::size_t c = first; c < first + 4; ++c) images(n, row, c) = 255;
    }
    write_idx(dir + "/" + prefix + "-images-idx3-ubyte", images);
    write_idx(dir + "/" + prefix + "-labels-idx1-ubyte", labels);
}

inline void write_synthetic_mnist(const std::string& dir, std::size_t train = 300,
                                  std::size_t test = 100) {
    write_synthetic_split(dir, "train", train, 1);
    write_synthetic_split(dir, "t10k", test, 2);
}

}  // namespace mm::test
