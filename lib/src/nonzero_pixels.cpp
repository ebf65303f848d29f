#include <mnist_minibatch/nonzero_pixels.hpp>

#include <mnist_minibatch/error.hpp>

namespace mm {

NonzeroPixels find_nonzero_pixels(const MnistSplit& split) {
    const std::size_t n = split.size(), d = split.pixels();
    if (d > kMaxIndexedPixels)
        throw Error("images of " + std::to_string(d) + " pixels are too large for the nonzero "
                    "pixel index; at most " + std::to_string(kMaxIndexedPixels) + " are supported");
    NonzeroPixels index;
    index.row_start.resize(n + 1);
    index.row_start[0] = 0;
    const std::uint8_t* pixels = split.images.data();
    std::size_t total = 0;
    for (std::size_t i = 0; i < n * d; ++i) total += pixels[i] != 0 ? 1 : 0;
    index.column.resize(total);
    index.pixel_counts.assign(d, 0);
    std::uint16_t* column = index.column.data();
    std::size_t next = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* row = pixels + i * d;
        for (std::size_t j = 0; j < d; ++j)
            if (row[j] != 0) {
                column[next++] = static_cast<std::uint16_t>(j);
                ++index.pixel_counts[j];
            }
        index.row_start[i + 1] = next;
    }
    return index;
}

}  // namespace mm
