#include <mnist_minibatch/confusion_chart.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/svg_writer.hpp>

#include <algorithm>
#include <cstdio>

namespace mm {
namespace {

// White to dark blue by `share` in [0, 1].
std::string heat_colour(double share) {
    const int r = static_cast<int>(255 + (8 - 255) * share);
    const int g = static_cast<int>(255 + (48 - 255) * share);
    const int b = static_cast<int>(255 + (107 - 255) * share);
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100 * share);
    return buf;
}

}  // namespace

std::string confusion_chart_svg(const ConfusionMatrix& confusion) {
    const std::size_t n = confusion.size();
    for (std::size_t r = 0; r < n; ++r) {
        if (confusion[r].size() != n)
            throw Error("confusion matrix row " + std::to_string(r) + " has " +
                        std::to_string(confusion[r].size()) + " counts, expected " +
                        std::to_string(n) + " (the matrix must be square)");
        for (std::size_t c = 0; c < n; ++c)
            if (confusion[r][c] < 0)
                throw Error("confusion matrix entry [" + std::to_string(r) + "][" +
                            std::to_string(c) + "] is negative: " +
                            std::to_string(confusion[r][c]));
    }
    const double cell = n > 20 ? 800.0 / static_cast<double>(n) : 40;
    const double left = 70, top = 78, right = 92, bottom = 24;
    const double side = cell * static_cast<double>(n);
    const double width = left + side + right, height = top + side + bottom;
    const char* title = "Test confusion matrix";

    SvgWriter svg(width, height,
                  {{"class", "chart confusion-chart"}, {"role", "img"}, {"aria-label", title}});
    svg.title(title);
    svg.text(width / 2, 22, title,
             {{"class", "chart-title"}, {"text-anchor", "middle"}, {"font-size", "15"},
              {"font-weight", "bold"}});
    svg.text(left + side / 2, 48, "predicted label",
             {{"class", "axis-label"}, {"text-anchor", "middle"}, {"font-size", "13"}});
    const double mid = top + side / 2;
    svg.text(20, mid, "true label",
             {{"class", "axis-label"}, {"text-anchor", "middle"}, {"font-size", "13"},
              {"transform", "rotate(-90 20 " + svg_number(mid) + ")"}});
    svg.text(left + side + 10, top - 8, "accuracy", {{"class", "axis-label"}});

    const std::string count_size = svg_number(std::min(12.0, cell * 0.32));
    svg.open_group({{"class", "matrix"}, {"data-size", std::to_string(n)}});
    for (std::size_t c = 0; c < n; ++c)
        svg.text(left + cell * (static_cast<double>(c) + 0.5), top - 8, std::to_string(c),
                 {{"class", "column-label"}, {"text-anchor", "middle"}});
    for (std::size_t r = 0; r < n; ++r) {
        // Summed as double: counts come from a file and their int64 sum could overflow.
        double total = 0;
        for (auto v : confusion[r]) total += static_cast<double>(v);
        const double y = top + cell * static_cast<double>(r);
        svg.text(left - 8, y + cell / 2 + 4, std::to_string(r),
                 {{"class", "row-label"}, {"text-anchor", "end"}});
        for (std::size_t c = 0; c < n; ++c) {
            const double share =
                total > 0 ? static_cast<double>(confusion[r][c]) / total : 0;
            const double x = left + cell * static_cast<double>(c);
            svg.element("rect", {{"class", r == c ? "cell diagonal" : "cell"},
                                 {"x", svg_number(x)}, {"y", svg_number(y)},
                                 {"width", svg_number(cell)}, {"height", svg_number(cell)},
                                 {"fill", heat_colour(share)}, {"stroke", "#ddd"}});
            svg.text(x + cell / 2, y + cell / 2 + 4, std::to_string(confusion[r][c]),
                     {{"class", "count"}, {"text-anchor", "middle"}, {"font-size", count_size},
                      {"fill", share > 0.5 ? "white" : "#222"}});
        }
        const double accuracy =
            total > 0 ? static_cast<double>(confusion[r][r]) / total : 0;
        svg.text(left + side + 10, y + cell / 2 + 4, total > 0 ? percent(accuracy) : "-",
                 {{"class", "row-accuracy"}});
    }
    svg.close_group();
    return svg.finish();
}

}  // namespace mm
