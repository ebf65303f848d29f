#include <mnist_minibatch/text_chart.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mm {
namespace {

std::string label(double v, int width, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%*.*g", width, digits, v);
    return buf;
}

}  // namespace

std::string text_chart(const std::vector<double>& x, const std::vector<double>& y,
                       std::size_t width, std::size_t height) {
    width = std::max<std::size_t>(width, 8);
    height = std::max<std::size_t>(height, 3);
    constexpr double inf = std::numeric_limits<double>::infinity();
    double x_lo = inf, x_hi = -inf, y_lo = inf, y_hi = -inf;
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            x_lo = std::min(x_lo, x[i]);
            x_hi = std::max(x_hi, x[i]);
            y_lo = std::min(y_lo, y[i]);
            y_hi = std::max(y_hi, y[i]);
        }
    if (!(x_lo <= x_hi)) return "  (no finite values yet)\n";

    struct Column {
        double lo = inf, hi = -inf, mean = 0;
        std::size_t count = 0;
    };
    std::vector<Column> columns(width);
    const auto place = [](double v, double lo, double hi, std::size_t cells) {
        // Halving first keeps hi - lo finite for any finite lo and hi.
        double t = hi > lo ? (v / 2 - lo / 2) / (hi / 2 - lo / 2) : 0.5;
        if (std::isnan(t)) t = 0.5;
        const auto cell = static_cast<std::size_t>(std::clamp(t, 0.0, 1.0) * static_cast<double>(cells));
        return std::min(cell, cells - 1);
    };
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        Column& c = columns[place(x[i], x_lo, x_hi, width)];
        c.lo = std::min(c.lo, y[i]);
        c.hi = std::max(c.hi, y[i]);
        ++c.count;
        // A running mean cannot overflow the way a sum of huge values can.
        c.mean += (y[i] - c.mean) / static_cast<double>(c.count);
    }
    std::vector<std::string> grid(height, std::string(width, ' '));
    for (std::size_t col = 0; col < width; ++col) {
        const Column& c = columns[col];
        if (c.count == 0) continue;
        const std::size_t top = height - 1 - place(c.hi, y_lo, y_hi, height);
        const std::size_t bottom = height - 1 - place(c.lo, y_lo, y_hi, height);
        for (std::size_t r = top; r <= bottom; ++r) grid[r][col] = ':';
        grid[height - 1 - place(c.mean, y_lo, y_hi, height)][col] = '*';
    }
    constexpr int margin = 10;
    std::string out;
    for (std::size_t r = 0; r < height; ++r) {
        std::string left(margin, ' ');
        if (r == 0) left = label(y_hi, margin, 4);
        if (r == height - 1) left = label(y_lo, margin, 4);
        out += left + " |" + grid[r] + "\n";
    }
    out += std::string(margin, ' ') + " +" + std::string(width, '-') + "\n";
    const std::string lo_text = label(x_lo, 0, 9), hi_text = label(x_hi, 0, 9);
    std::string axis(margin + 2 + width, ' ');
    axis.replace(margin + 2, lo_text.size(), lo_text);
    if (hi_text.size() < width) axis.replace(axis.size() - hi_text.size(), hi_text.size(), hi_text);
    out += axis + "\n";
    return out;
}

}  // namespace mm
