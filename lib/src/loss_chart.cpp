#include <mnist_minibatch/chart_frame.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/loss_chart.hpp>
#include <mnist_minibatch/svg_writer.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mm {

std::string loss_column_of(const std::string& loss_name) {
    return loss_name == "sum_squares" ? "sse" : "cee";
}

std::string loss_column_name(const std::string& column) {
    if (column == "cee") return "cross-entropy error";
    if (column == "sse") return "sum of squared errors";
    throw Error("unknown loss column '" + column + "': expected 'cee' or 'sse'");
}

std::vector<double> moving_average(const std::vector<double>& v, std::size_t window) {
    window = std::max<std::size_t>(window, 1);
    const std::size_t n = v.size();
    std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
    // A running sum that subtracts what leaves the window loses small values after huge ones.
    // Instead the window [i - window + 1, i] is split at the block boundary (blocks of `window`
    // points): the sum of its part in the earlier block, precomputed from the block's end, plus
    // the running sum of its part in the current block. Only additions, O(n) in all.
    std::vector<double> tail_sum(n);
    std::vector<std::size_t> tail_count(n);
    for (std::size_t i = n; i-- > 0;) {
        const bool block_end = (i + 1) % window == 0 || i + 1 == n;
        const double s = block_end ? 0.0 : tail_sum[i + 1];
        const std::size_t c = block_end ? 0 : tail_count[i + 1];
        const bool finite = std::isfinite(v[i]);
        tail_sum[i] = finite ? s + v[i] : s;
        tail_count[i] = finite ? c + 1 : c;
    }
    double head_sum = 0;
    std::size_t head_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % window == 0) {
            head_sum = 0;
            head_count = 0;
        }
        if (std::isfinite(v[i])) {
            head_sum += v[i];
            ++head_count;
        }
        double sum = head_sum;
        std::size_t count = head_count;
        const std::size_t start = i + 1 >= window ? i + 1 - window : 0;
        if (start % window != 0) {  // the window reaches back into the previous block
            sum += tail_sum[start];
            count += tail_count[start];
        }
        if (count > 0) out[i] = sum / static_cast<double>(count);
    }
    return out;
}

std::string loss_chart_svg(const CsvLog& loss_log, const LossChartOptions& options) {
    const std::string name = loss_column_name(options.column);
    const auto& x = loss_log.column("iteration");
    const auto& y = loss_log.column(options.column);
    const std::size_t n = y.size();
    const std::size_t window =
        options.smoothing_window > 0 ? options.smoothing_window : std::max<std::size_t>(1, n / 50);
    const auto smooth = moving_average(y, window);
    // Each average is drawn at the middle of its window, so that the line follows the data
    // instead of trailing it by half a window.
    std::vector<double> smooth_x(n);
    for (std::size_t j = 0; j < n; ++j) smooth_x[j] = x[(j + 1 >= window ? j + 1 - window + j : j) / 2];

    ChartLayout layout;
    const AxisSpec xa = linear_x_axis(x, layout, "iteration");
    AxisSpec ya;
    double lo, hi;
    const bool have_y = drawable_range(y, options.log_scale, lo, hi);
    // A loss is never negative: a linear axis starts at 0 as in the book's figure.
    if (have_y && !options.log_scale) lo = std::min(lo, 0.0);
    // Headroom, so that the highest values are not drawn on the frame itself.
    if (have_y && !options.log_scale && std::isfinite(hi + 0.03 * (hi - lo))) hi += 0.03 * (hi - lo);
    ya.ticks = nice_range(lo, hi, options.log_scale);
    ya.scale = {lo, hi, layout.box_bottom(), layout.box_top(), options.log_scale};
    ya.label = "loss (" + name + ")" + (options.log_scale ? ", log scale" : "");

    SvgWriter svg(layout.width, layout.height,
                  {{"class", "chart loss-chart"}, {"data-loss", options.column},
                   {"role", "img"}, {"aria-label", "Training loss per iteration (" + name + ")"}});
    svg.title("Training loss per iteration (" + name + ")");
    draw_chart_frame(svg, layout, "Training loss per iteration (" + name + ")", xa, ya);

    std::size_t skipped = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!xa.scale.drawable(x[i]) || !ya.scale.drawable(y[i])) ++skipped;
    int note_line = 0;
    if (n == 0) draw_note(svg, layout, "no loss values logged yet", note_line++);
    if (n > 0 && skipped > 0)
        draw_note(svg, layout,
                  std::to_string(skipped) + " of " + std::to_string(n) + " values not drawn (" +
                      (options.log_scale ? "nan, inf or not positive" : "nan or inf") + ")",
                  note_line++);

    const SvgAttributes raw_style{{"stroke", "#7fb2e5"}, {"stroke-width", "1"}};
    const SvgAttributes smooth_style{{"stroke", "#0b4f9c"}, {"stroke-width", "2"}};
    svg.open_group({{"class", "series raw"}, {"data-points", std::to_string(n)}});
    for (const auto& run : series_polylines(x, y, xa.scale, ya.scale)) {
        if (run.size() == 1)
            svg.element("circle", {{"cx", svg_number(run[0].x)}, {"cy", svg_number(run[0].y)},
                                   {"r", "2.5"}, {"fill", "#7fb2e5"}});
        else
            svg.polyline(run, raw_style);
    }
    svg.close_group();
    svg.open_group({{"class", "series smoothed"}, {"data-window", std::to_string(window)}});
    for (const auto& run : series_polylines(smooth_x, smooth, xa.scale, ya.scale))
        if (run.size() > 1) svg.polyline(run, smooth_style);
    svg.close_group();

    draw_legend(svg, layout,
                {{"batch loss", raw_style},
                 {"centred moving average of " + std::to_string(window), smooth_style}});
    return svg.finish();
}

}  // namespace mm
