#include <mnist_minibatch/nonzero_pixels.hpp>

#include <mnist_minibatch/error.hpp>

#include <algorithm>

namespace mm {

NonzeroPixels find_nonzero_pixels(const MnistSplit& split, ThreadPool* pool) {
    const std::size_t n = split.size(), d = split.pixels();
    if (d > kMaxIndexedPixels)
        throw Error("images of " + std::to_string(d) + " pixels are too large for the nonzero "
                    "pixel index; at most " + std::to_string(kMaxIndexedPixels) + " are supported");
    const std::size_t parts = pool ? pool->size() : 1;
    auto first_image = [&](std::size_t p) { return n * p / parts; };
    const std::uint8_t* pixels = split.images.data();

    // Two passes over the images, each split into contiguous parts: count each part's nonzero
    // pixels, then write them at the part's offset. The index is the same for any split.
    std::vector<std::size_t> part_total(parts + 1, 0);
    run_parts(pool, [&](std::size_t p, std::size_t) {
        std::size_t count = 0;
        for (std::size_t i = first_image(p) * d; i < first_image(p + 1) * d; ++i)
            count += pixels[i] != 0 ? 1 : 0;
        part_total[p + 1] = count;
    });
    for (std::size_t p = 0; p < parts; ++p) part_total[p + 1] += part_total[p];

    NonzeroPixels index;
    index.row_start.resize(n + 1);
    index.row_start[0] = 0;
    // The second pass writes every pixel's column at the next free slot of a scratch row and only
    // moves past nonzero ones, with no branch to mispredict on the four in five pixels that are
    // zero (a scratch row, because the slot after an image's last nonzero pixel may be another
    // thread's), and counts in a loop of its own that vectorises.
    index.column.resize(part_total[parts]);
    std::vector<std::vector<std::uint64_t>> part_counts(parts, std::vector<std::uint64_t>(d, 0));
    run_parts(pool, [&](std::size_t p, std::size_t) {
        std::uint16_t* column = index.column.data();
        std::uint64_t* counts = part_counts[p].data();
        std::size_t next = part_total[p];
        std::vector<std::uint16_t> found(d);
        for (std::size_t i = first_image(p); i < first_image(p + 1); ++i) {
            const std::uint8_t* row = pixels + i * d;
            for (std::size_t j = 0; j < d; ++j) counts[j] += row[j] != 0 ? 1 : 0;
            std::size_t k = 0;
            for (std::size_t j = 0; j < d; ++j) {
                found[k] = static_cast<std::uint16_t>(j);
                k += row[j] != 0 ? 1 : 0;
            }
            std::copy_n(found.data(), k, column + next);
            next += k;
            index.row_start[i + 1] = next;
        }
    });
    index.pixel_counts.assign(d, 0);
    for (const auto& counts : part_counts)
        for (std::size_t j = 0; j < d; ++j) index.pixel_counts[j] += counts[j];
    return index;
}

}  // namespace mm
