#pragma once
// A 5x7 bitmap font for the few characters written into raster pictures (digit labels), so the
// PNGs need no font library. Characters: '0'-'9', '>' (drawn as an arrow) and ' '.
#include <mnist_minibatch/png_writer.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mm {

struct Rgb {
    std::uint8_t r, g, b;
};

// Width in pixels of `text` drawn at `scale` (each glyph 5 wide plus 1 of spacing, times scale).
std::size_t pixel_text_width(std::string_view text, std::size_t scale);

// Draws `text` with its top-left corner at (x, y), clipped to the image; throws mm::Error on a
// character the font does not have.
void draw_pixel_text(RgbImage& image, std::size_t x, std::size_t y, std::string_view text,
                     std::size_t scale, Rgb colour);

}  // namespace mm
