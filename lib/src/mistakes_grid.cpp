#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/mistakes_grid.hpp>
#include <mnist_minibatch/pixel_font.hpp>

#include <algorithm>
#include <string>

namespace mm {
namespace {

constexpr std::size_t zoom = 2, pad = 4, label_scale = 2, label_height = 7 * label_scale;
constexpr Rgb true_colour{0, 110, 40}, arrow_colour{120, 120, 120}, predicted_colour{200, 20, 20};

}  // namespace

RgbImage mistakes_grid(const MnistSplit& test, const std::vector<Mistake>& mistakes,
                       std::size_t columns) {
    if (mistakes.empty()) throw Error("no misclassified items to draw");
    if (columns == 0) throw Error("a mistakes grid needs at least one column");
    const std::size_t rows = test.images.shape(1), cols = test.images.shape(2);
    const std::size_t cell_w = std::max(cols * zoom, pixel_text_width("00>00", label_scale)) + 2 * pad;
    const std::size_t cell_h = rows * zoom + label_height + 3 * pad;
    const std::size_t grid_cols = std::min(columns, mistakes.size());
    const std::size_t grid_rows = (mistakes.size() + grid_cols - 1) / grid_cols;
    RgbImage image(grid_cols * cell_w, grid_rows * cell_h, 255, 255, 255);

    for (std::size_t k = 0; k < mistakes.size(); ++k) {
        const Mistake& m = mistakes[k];
        if (m.index >= test.size())
            throw Error("misclassified item " + std::to_string(m.index) +
                        " is outside the test set of " + std::to_string(test.size()) + " images");
        const std::size_t x0 = (k % grid_cols) * cell_w, y0 = (k / grid_cols) * cell_h;
        const std::size_t ix = x0 + (cell_w - cols * zoom) / 2, iy = y0 + pad;
        for (std::size_t r = 0; r < rows * zoom; ++r)
            for (std::size_t c = 0; c < cols * zoom; ++c) {
                const std::uint8_t p = test.images(m.index, r / zoom, c / zoom);
                image.set(ix + c, iy + r, p, p, p);
            }
        const std::string t = std::to_string(m.label), p = std::to_string(m.predicted);
        const std::string text = t + ">" + p;
        std::size_t x = x0 + (cell_w - std::min(cell_w, pixel_text_width(text, label_scale))) / 2;
        const std::size_t y = iy + rows * zoom + pad;
        const std::size_t step = 6 * label_scale;
        draw_pixel_text(image, x, y, t, label_scale, true_colour);
        x += step * t.size();
        draw_pixel_text(image, x, y, ">", label_scale, arrow_colour);
        x += step;
        draw_pixel_text(image, x, y, p, label_scale, predicted_colour);
    }
    return image;
}

}  // namespace mm
