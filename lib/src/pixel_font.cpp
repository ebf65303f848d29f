#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/pixel_font.hpp>

#include <cstdint>

namespace mm {
namespace {

constexpr std::size_t glyph_width = 5, glyph_height = 7, advance = glyph_width + 1;

// Each row's five pixels are bits 4 (left) to 0 (right).
constexpr std::uint8_t digit_glyphs[10][glyph_height] = {
    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E},  // 0
    {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},  // 1
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F},  // 2
    {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},  // 3
    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02},  // 4
    {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},  // 5
    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E},  // 6
    {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},  // 7
    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E},  // 8
    {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},  // 9
};
constexpr std::uint8_t arrow_glyph[glyph_height] = {0x00, 0x04, 0x02, 0x1F, 0x02, 0x04, 0x00};
constexpr std::uint8_t blank_glyph[glyph_height] = {};

const std::uint8_t* glyph(char c) {
    if (c >= '0' && c <= '9') return digit_glyphs[c - '0'];
    if (c == '>') return arrow_glyph;
    if (c == ' ') return blank_glyph;
    throw Error(std::string("the pixel font has no glyph for '") + c + "'");
}

}  // namespace

std::size_t pixel_text_width(std::string_view text, std::size_t scale) {
    return text.empty() ? 0 : (text.size() * advance - 1) * scale;
}

void draw_pixel_text(RgbImage& image, std::size_t x, std::size_t y, std::string_view text,
                     std::size_t scale, Rgb colour) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::uint8_t* rows = glyph(text[i]);
        const std::size_t gx = x + i * advance * scale;
        for (std::size_t r = 0; r < glyph_height; ++r)
            for (std::size_t c = 0; c < glyph_width; ++c) {
                if (!(rows[r] & (0x10 >> c))) continue;
                for (std::size_t dy = 0; dy < scale; ++dy)
                    for (std::size_t dx = 0; dx < scale; ++dx)
                        image.set(gx + c * scale + dx, y + r * scale + dy, colour.r, colour.g,
                                  colour.b);
            }
    }
}

}  // namespace mm
