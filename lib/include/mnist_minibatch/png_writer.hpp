#pragma once
// Writing RGB pictures as PNG through libpng's simplified API.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mm {

struct RgbImage {
    std::size_t width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // height * width * 3, row-major, r g b

    RgbImage() = default;
    RgbImage(std::size_t w, std::size_t h, std::uint8_t r, std::uint8_t g, std::uint8_t b);
    void set(std::size_t x, std::size_t y, std::uint8_t r, std::uint8_t g, std::uint8_t b);
};

// The PNG file bytes of `image`; throws mm::Error when libpng refuses it (e.g. an empty image).
std::string encode_png(const RgbImage& image);

// encode_png written atomically to `path`.
void write_png(const std::string& path, const RgbImage& image);

}  // namespace mm
