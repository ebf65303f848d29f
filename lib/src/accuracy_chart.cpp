#include <mnist_minibatch/accuracy_chart.hpp>
#include <mnist_minibatch/chart_frame.hpp>
#include <mnist_minibatch/svg_writer.hpp>

#include <cstddef>

namespace mm {
namespace {

// Few enough points for a marker on each, as in the book's figure.
constexpr std::size_t max_marked_points = 60;

struct AccuracySeries {
    const char* column;
    const char* label;
    const char* css_class;
    bool square_markers;  // the book marks train with circles and test with squares
    SvgAttributes style;
};

}  // namespace

std::string accuracy_chart_svg(const CsvLog& epoch_log) {
    const auto& x = epoch_log.column("epoch");
    ChartLayout layout;
    const AxisSpec xa = linear_x_axis(x, layout, "epoch");
    AxisSpec ya;
    ya.scale = {0, 1, layout.box_bottom(), layout.box_top(), false};
    ya.label = "accuracy";
    ya.ticks = {0, 0.2, 0.4, 0.6, 0.8, 1.0};

    const char* title = "Train and test accuracy per epoch";
    SvgWriter svg(layout.width, layout.height,
                  {{"class", "chart accuracy-chart"}, {"role", "img"}, {"aria-label", title}});
    svg.title(title);
    draw_chart_frame(svg, layout, title, xa, ya);

    const std::vector<AccuracySeries> series{
        {"train_accuracy", "train acc", "series train", false,
         {{"stroke", "#1f77b4"}, {"stroke-width", "2"}}},
        {"test_accuracy", "test acc", "series test", true,
         {{"stroke", "#ff7f0e"}, {"stroke-width", "2"}, {"stroke-dasharray", "7 4"}}}};
    const std::size_t n = epoch_log.rows();
    std::size_t skipped = 0;
    std::vector<LegendEntry> legend;
    for (const auto& s : series) {
        const auto& y = epoch_log.column(s.column);
        for (std::size_t i = 0; i < n; ++i)
            if (!xa.scale.drawable(x[i]) || !ya.scale.drawable(y[i])) ++skipped;
        svg.open_group({{"class", s.css_class}, {"data-points", std::to_string(n)}});
        const std::string colour = s.style.front().second;
        for (const auto& run : series_polylines(x, y, xa.scale, ya.scale)) {
            if (run.size() > 1) svg.polyline(run, s.style);
            if (n > max_marked_points && run.size() > 1) continue;
            for (const auto& p : run) {
                if (s.square_markers)
                    svg.element("rect", {{"class", "marker"}, {"x", svg_number(p.x - 3)},
                                         {"y", svg_number(p.y - 3)}, {"width", "6"},
                                         {"height", "6"}, {"fill", colour}});
                else
                    svg.element("circle", {{"class", "marker"}, {"cx", svg_number(p.x)},
                                           {"cy", svg_number(p.y)}, {"r", "3.5"}, {"fill", colour}});
            }
        }
        svg.close_group();
        legend.push_back({s.label, s.style});
    }
    if (n == 0) draw_note(svg, layout, "no evaluation logged yet");
    if (skipped > 0)
        draw_note(svg, layout,
                  std::to_string(skipped) + " accuracy values not drawn (nan, inf or outside 0..1)");
    draw_legend(svg, layout, legend, LegendCorner::bottom_right);
    return svg.finish();
}

}  // namespace mm
