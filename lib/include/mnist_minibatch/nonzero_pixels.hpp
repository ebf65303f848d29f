#pragma once
// Where each image of a split has nonzero pixels, found once per split. MNIST images are about
// 81% zero, so the first layer only needs the other 19%: with this index a training batch or an
// evaluation block reads them straight from the uint8 images, with no per-batch gather into
// floats and no per-batch scan for zeros. Costs 2 bytes per nonzero pixel (21 MB for MNIST).
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mm {

// Image i's nonzero pixels are column[row_start[i] .. row_start[i + 1]), ascending, each the
// pixel's index in the flattened image (row * cols + col).
// pixel_counts[j] is the number of images whose pixel j is nonzero.
struct NonzeroPixels {
    std::vector<std::uint64_t> row_start{0};
    std::vector<std::uint16_t> column;
    std::vector<std::uint64_t> pixel_counts;

    std::size_t images() const { return row_start.size() - 1; }
    std::size_t count(std::size_t image) const { return row_start[image + 1] - row_start[image]; }
};

// Largest image (in pixels) whose pixel indices fit the index's 16-bit columns.
constexpr std::size_t kMaxIndexedPixels = std::size_t(1) << 16;

// Throws mm::Error when the split's images have more than kMaxIndexedPixels pixels. With a pool
// the images are split over its threads (the index is the same).
NonzeroPixels find_nonzero_pixels(const MnistSplit& split, ThreadPool* pool = nullptr);

// Whether `index` was found for a split of this shape (its image count and image size).
inline bool indexes(const NonzeroPixels& index, const MnistSplit& split) {
    return index.images() == split.size() && index.pixel_counts.size() == split.pixels();
}

// A batch of a split's images as the first layer's input: row r is image items[r], and a pixel of
// value p reads as table[p] (pixel_table: what gather_images would write).
template <class T>
struct PixelRows {
    const MnistSplit& split;
    const NonzeroPixels& nonzero;
    const std::size_t* items;
    std::size_t count;
    const std::array<T, 256>& table;

    std::size_t rows() const { return count; }
    std::size_t cols() const { return split.pixels(); }
    std::size_t nonzeros() const {
        std::size_t n = 0;
        for (std::size_t r = 0; r < count; ++r) n += nonzero.count(items[r]);
        return n;
    }
};

}  // namespace mm
