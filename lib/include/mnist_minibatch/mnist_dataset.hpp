#pragma once
// MNIST-format datasets (MNIST, Fashion-MNIST) on top of the IDX reader. Pixels stay uint8 in
// memory (47 MB for the MNIST train set instead of 188 MB of floats) and are converted only when
// a batch is built.
#include <xtensor/xtensor.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mm {

struct MnistSplit {
    xt::xtensor<std::uint8_t, 3> images;  // (N, rows, cols)
    xt::xtensor<std::uint8_t, 1> labels;  // (N)

    std::size_t size() const { return labels.size(); }
    std::size_t pixels() const { return images.shape(1) * images.shape(2); }
};

struct MnistDataset {
    std::string name;  // "mnist" or "fashion-mnist"
    std::string dir;
    std::size_t num_classes = 10;
    MnistSplit train;
    MnistSplit test;
};

struct MnistFiles {
    std::string train_images, train_labels, test_images, test_labels;
};

// Where a dataset lives: `explicit_dir` when not empty (a CLI option or config field), else the
// environment variable (MNIST_DATA_DIR, FASHION_MNIST_DATA_DIR), else the default folder
// (datasets/mnist; for Fashion-MNIST /usr/share/datasets/fashion-mnist when it exists).
std::string resolve_data_dir(const std::string& dataset_name, const std::string& explicit_dir);

// Finds the four files by their standard names, also the dot-named variants
// (train-images.idx3-ubyte), each with or without .gz. Throws mm::Error saying where it looked
// and the exact command that fetches the data.
MnistFiles find_mnist_files(const std::string& dir, const std::string& dataset_name = "mnist");

// Loads and checks one split: images 3-D, labels 1-D, equal counts, every label < num_classes.
MnistSplit load_mnist_split(const std::string& images_path, const std::string& labels_path,
                            std::size_t num_classes = 10);

// The same, also computing the SHA-256 of each file's uncompressed content in the same pass.
struct SplitChecksums {
    std::string images_sha256, labels_sha256;
};
MnistSplit load_mnist_split(const std::string& images_path, const std::string& labels_path,
                            std::size_t num_classes, SplitChecksums& checksums);

MnistDataset load_mnist(const std::string& dir, const std::string& dataset_name = "mnist",
                        std::size_t num_classes = 10);

// The four standard names: train images, train labels, test images, test labels.
const std::array<std::string, 4>& mnist_file_names();

// The names a file may have on disk: the standard one, the dot-named variant
// (train-images.idx3-ubyte), each without and with .gz, in that order of preference.
std::vector<std::string> mnist_file_variants(const std::string& standard_name);

// SHA-256 of the uncompressed content of a standard file of "mnist" or "fashion-mnist", as
// listed in datasets/SHA256SUMS; nullopt for anything else.
std::optional<std::string> expected_content_sha256(const std::string& dataset_name,
                                                   const std::string& standard_name);

// How many items carry each label 0..num_classes-1.
std::vector<std::size_t> label_histogram(const MnistSplit& split, std::size_t num_classes = 10);

// Mean and population standard deviation of the normalized pixels (MNIST train: 0.1307, 0.3081).
struct PixelMoments {
    double mean = 0.0;
    double std = 0.0;
};
PixelMoments pixel_moments(const MnistSplit& split);

// The book's normalisation: float32(p) / 255.0f, a correctly rounded float32 division, then
// widened to the network's float type. It is not p * (1.0f/255), which differs for 126 values.
inline float normalize_pixel(std::uint8_t p) { return static_cast<float>(p) / 255.0f; }

namespace detail {

template <class T>
std::array<T, 256> make_pixel_table(bool normalize) {
    std::array<T, 256> table{};
    for (std::size_t p = 0; p < table.size(); ++p) {
        const auto pixel = static_cast<std::uint8_t>(p);
        table[p] = static_cast<T>(normalize ? normalize_pixel(pixel) : static_cast<float>(pixel));
    }
    return table;
}

}  // namespace detail

// What gather_images writes for each pixel value 0..255, built once per type and mode: a table
// lookup instead of a division per pixel, with the same values.
template <class T>
const std::array<T, 256>& pixel_table(bool normalize) {
    static const std::array<T, 256> normalized = detail::make_pixel_table<T>(true);
    static const std::array<T, 256> raw = detail::make_pixel_table<T>(false);
    return normalize ? normalized : raw;
}

// Writes the selected images as rows of `x` (count, rows*cols), resizing it when its shape
// differs: table[p] for each pixel p.
template <class T>
void gather_images(const MnistSplit& split, const std::size_t* indices, std::size_t count,
                   const std::array<T, 256>& table, xt::xtensor<T, 2>& x) {
    const std::size_t d = split.pixels();
    if (x.shape(0) != count || x.shape(1) != d) x.resize({count, d});
    const std::uint8_t* base = split.images.data();
    T* out = x.data();
    for (std::size_t r = 0; r < count; ++r) {
        const std::uint8_t* row = base + indices[r] * d;
        for (std::size_t j = 0; j < d; ++j) out[r * d + j] = table[row[j]];
    }
}

// With pixel_table(normalize): normalize_pixel(p) when `normalize`, else float(p).
template <class T>
void gather_images(const MnistSplit& split, const std::size_t* indices, std::size_t count,
                   bool normalize, xt::xtensor<T, 2>& x) {
    gather_images(split, indices, count, pixel_table<T>(normalize), x);
}

// Class indices of the selected items.
inline void gather_labels(const MnistSplit& split, const std::size_t* indices, std::size_t count,
                          xt::xtensor<std::size_t, 1>& t) {
    if (t.size() != count) t.resize({count});
    for (std::size_t r = 0; r < count; ++r) t(r) = split.labels(indices[r]);
}

}  // namespace mm
