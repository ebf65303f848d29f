#pragma once
// Reading a single grayscale digit for `mnist-train predict`: binary or ASCII PGM, and PNG through
// libpng (any colour type, converted to 8-bit gray).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mm {

struct GrayImage {
    std::size_t rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  // rows * cols, row-major, 0 = black
};

// Detects the format from the content; throws mm::Error naming the file, the byte offset where
// it applies, and what was expected.
GrayImage read_gray_image(const std::string& path);

}  // namespace mm
