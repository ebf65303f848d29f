#include <mnist_minibatch/chart_frame.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mm {
namespace {

constexpr std::size_t max_ticks = 64;

double nice_step(double lo, double hi, std::size_t target) {
    // Dividing first keeps the span finite even for [-DBL_MAX, DBL_MAX].
    const double raw = hi / static_cast<double>(target) - lo / static_cast<double>(target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double factor = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
    return factor * magnitude;
}

std::vector<double> linear_ticks(double lo, double hi, double step) {
    std::vector<double> ticks;
    const double first = std::ceil(lo / step - 1e-9);
    for (double k = first; ticks.size() < max_ticks; k += 1) {
        const double t = k * step;
        if (t > hi + step * 1e-9) break;
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return ticks;
}

std::vector<double> log_ticks(double lo, double hi, std::size_t target) {
    const double first = std::floor(std::log10(lo) + 1e-9);
    const double last = std::ceil(std::log10(hi) - 1e-9);
    const double decades = last - first;
    std::vector<double> ticks;
    if (decades <= 2) {
        for (double e = first; e <= last; e += 1)
            for (double m : {1.0, 2.0, 5.0}) {
                const double t = m * std::pow(10.0, e);
                if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
            }
        return ticks;
    }
    const double every = std::ceil(decades / static_cast<double>(target));
    for (double e = first; e <= last && ticks.size() < max_ticks; e += every) {
        const double t = std::pow(10.0, e);
        if (t >= lo && t <= hi) ticks.push_back(t);
    }
    return ticks;
}

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos) return "0";
    return s;
}

std::string format_general(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

double AxisScale::to_pixel(double v) const {
    const double a = log ? std::log10(lo) : lo;
    const double b = log ? std::log10(hi) : hi;
    const double f = log ? std::log10(v) : v;
    // Divide each term first so that spans near DBL_MAX do not overflow.
    double t = (f / 2 - a / 2) / (b / 2 - a / 2);
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    return pixel_lo + t * (pixel_hi - pixel_lo);
}

bool AxisScale::drawable(double v) const {
    return std::isfinite(v) && (!log || v > 0) && v >= lo && v <= hi;
}

std::vector<double> nice_range(double& lo, double& hi, bool log) {
    if (!(lo <= hi)) {
        lo = log ? 1 : 0;
        hi = log ? 10 : 1;
    } else if (lo == hi) {
        if (log) {
            lo /= 2;
            hi *= 2;
        } else {
            const double d = lo == 0 ? 1 : std::abs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
    }
    if (log) {
        lo = std::pow(10.0, std::floor(std::log10(lo) + 1e-9));
        hi = std::pow(10.0, std::ceil(std::log10(hi) - 1e-9));
        // Decades beyond the double range: the smallest and largest doubles end the axis.
        if (!(lo > 0)) lo = std::numeric_limits<double>::denorm_min();
        if (!std::isfinite(hi)) hi = std::numeric_limits<double>::max();
        if (hi <= lo) hi = lo * 10;
        return log_ticks(lo, hi, 6);
    }
    const double step = nice_step(lo, hi, 6);
    const double nlo = std::floor(lo / step) * step, nhi = std::ceil(hi / step) * step;
    // An end moves out to the next tick only when that adds little empty space (an epoch axis
    // ending at 16.002 should not run on to 18); otherwise it gets a small margin.
    // Halves throughout: the span of [-DBL_MAX, DBL_MAX] does not fit a double.
    const double half_span = hi / 2 - lo / 2;
    const double half_gap = 0.10 * half_span, half_margin = 0.02 * half_span;
    if (std::isfinite(nlo) && std::isfinite(nhi)) {
        const double new_lo = lo / 2 - nlo / 2 <= half_gap ? nlo : 2 * (lo / 2 - half_margin);
        const double new_hi = nhi / 2 - hi / 2 <= half_gap ? nhi : 2 * (hi / 2 + half_margin);
        if (std::isfinite(new_lo) && std::isfinite(new_hi)) {
            lo = new_lo;
            hi = new_hi;
        }
    }
    return linear_ticks(lo, hi, step);
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks, bool log) {
    std::vector<std::string> labels;
    double largest = 0;
    for (double t : ticks) largest = std::max(largest, std::abs(t));
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
    const bool general = log || largest >= 1e6 || step < 1e-4;
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    for (double t : ticks) labels.push_back(general ? format_general(t) : format_fixed(t, decimals));
    return labels;
}

void draw_chart_frame(SvgWriter& svg, const ChartLayout& layout, const std::string& title,
                      const AxisSpec& x, const AxisSpec& y) {
    const double l = layout.box_left(), r = layout.box_right();
    const double t = layout.box_top(), b = layout.box_bottom();
    svg.text(layout.width / 2, 22, title,
             {{"class", "chart-title"}, {"text-anchor", "middle"}, {"font-size", "15"},
              {"font-weight", "bold"}});
    svg.element("rect", {{"class", "plot-box"}, {"x", svg_number(l)}, {"y", svg_number(t)},
                         {"width", svg_number(r - l)}, {"height", svg_number(b - t)},
                         {"fill", "white"}, {"stroke", "#444"}});

    const auto& x_ticks = x.ticks;
    const auto x_labels = tick_labels(x_ticks, x.scale.log);
    svg.open_group({{"class", "x-axis"}});
    for (std::size_t i = 0; i < x_ticks.size(); ++i) {
        const double px = x.scale.to_pixel(x_ticks[i]);
        svg.open_group({{"class", "tick"}});
        svg.element("line", {{"class", "grid"}, {"x1", svg_number(px)}, {"y1", svg_number(t)},
                             {"x2", svg_number(px)}, {"y2", svg_number(b)}, {"stroke", "#e4e4e4"}});
        svg.element("line", {{"x1", svg_number(px)}, {"y1", svg_number(b)}, {"x2", svg_number(px)},
                             {"y2", svg_number(b + 5)}, {"stroke", "#444"}});
        svg.text(px, b + 19, x_labels[i], {{"text-anchor", "middle"}});
        svg.close_group();
    }
    svg.text((l + r) / 2, layout.height - 14, x.label,
             {{"class", "axis-label"}, {"text-anchor", "middle"}, {"font-size", "13"}});
    svg.close_group();

    const auto& y_ticks = y.ticks;
    const auto y_labels = tick_labels(y_ticks, y.scale.log);
    svg.open_group({{"class", "y-axis"}});
    for (std::size_t i = 0; i < y_ticks.size(); ++i) {
        const double py = y.scale.to_pixel(y_ticks[i]);
        svg.open_group({{"class", "tick"}});
        svg.element("line", {{"class", "grid"}, {"x1", svg_number(l)}, {"y1", svg_number(py)},
                             {"x2", svg_number(r)}, {"y2", svg_number(py)}, {"stroke", "#e4e4e4"}});
        svg.element("line", {{"x1", svg_number(l - 5)}, {"y1", svg_number(py)}, {"x2", svg_number(l)},
                             {"y2", svg_number(py)}, {"stroke", "#444"}});
        svg.text(l - 8, py + 4, y_labels[i], {{"text-anchor", "end"}});
        svg.close_group();
    }
    const double mid = (t + b) / 2;
    svg.text(18, mid, y.label,
             {{"class", "axis-label"}, {"text-anchor", "middle"}, {"font-size", "13"},
              {"transform", "rotate(-90 18 " + svg_number(mid) + ")"}});
    svg.close_group();
}

void draw_legend(SvgWriter& svg, const ChartLayout& layout, const std::vector<LegendEntry>& entries,
                 LegendCorner corner) {
    std::size_t longest = 0;
    for (const auto& e : entries) longest = std::max(longest, e.label.size());
    const double w = 44 + 7.0 * static_cast<double>(longest), row = 20;
    const double h = row * static_cast<double>(entries.size()) + 8;
    const double x = layout.box_right() - w - 8;
    const double y = corner == LegendCorner::top_right ? layout.box_top() + 8
                                                       : layout.box_bottom() - h - 8;
    svg.open_group({{"class", "legend"}});
    svg.element("rect", {{"x", svg_number(x)}, {"y", svg_number(y)}, {"width", svg_number(w)},
                         {"height", svg_number(h)},
                         {"fill", "white"}, {"fill-opacity", "0.9"}, {"stroke", "#bbb"}});
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const double cy = y + 14 + row * static_cast<double>(i);
        SvgAttributes line{{"x1", svg_number(x + 8)}, {"y1", svg_number(cy)},
                           {"x2", svg_number(x + 32)}, {"y2", svg_number(cy)}};
        line.insert(line.end(), entries[i].line_style.begin(), entries[i].line_style.end());
        svg.element("line", line);
        svg.text(x + 38, cy + 4, entries[i].label, {{"class", "legend-label"}});
    }
    svg.close_group();
}

void draw_note(SvgWriter& svg, const ChartLayout& layout, const std::string& note, int line) {
    svg.text(layout.width / 2, 37 + 13.0 * line, note,
             {{"class", "note"}, {"text-anchor", "middle"}, {"font-size", "11"}, {"fill", "#a33"}});
}

std::vector<std::vector<SvgPoint>> series_polylines(const std::vector<double>& x,
                                                    const std::vector<double>& y,
                                                    const AxisScale& xs, const AxisScale& ys) {
    struct Kept {
        std::size_t index;
        SvgPoint p;
    };
    std::vector<std::vector<SvgPoint>> runs;
    std::vector<SvgPoint> run;
    // The first, lowest, highest and last point of the current pixel column.
    Kept first{}, low{}, high{}, last{};
    long column = 0;
    bool have_column = false;

    auto flush_column = [&] {
        if (!have_column) return;
        Kept kept[4] = {first, low, high, last};
        std::sort(std::begin(kept), std::end(kept),
                  [](const Kept& a, const Kept& b) { return a.index < b.index; });
        for (std::size_t k = 0; k < 4; ++k)
            if (k == 0 || kept[k].index != kept[k - 1].index) run.push_back(kept[k].p);
        have_column = false;
    };
    auto end_run = [&] {
        flush_column();
        if (!run.empty()) runs.push_back(std::move(run));
        run.clear();
    };

    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!xs.drawable(x[i]) || !ys.drawable(y[i])) {
            end_run();
            continue;
        }
        const Kept k{i, {xs.to_pixel(x[i]), ys.to_pixel(y[i])}};
        const long c = static_cast<long>(std::floor(k.p.x));
        if (have_column && c == column) {
            if (k.p.y < low.p.y) low = k;
            if (k.p.y > high.p.y) high = k;
            last = k;
            continue;
        }
        flush_column();
        first = low = high = last = k;
        column = c;
        have_column = true;
    }
    end_run();
    return runs;
}

bool drawable_range(const std::vector<double>& v, bool log, double& lo, double& hi) {
    lo = std::numeric_limits<double>::infinity();
    hi = -lo;
    for (double d : v)
        if (std::isfinite(d) && (!log || d > 0)) {
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
    return lo <= hi;
}

AxisSpec linear_x_axis(const std::vector<double>& x, const ChartLayout& layout,
                       const std::string& label) {
    AxisSpec axis;
    double lo, hi;
    drawable_range(x, false, lo, hi);
    axis.ticks = nice_range(lo, hi, false);
    axis.scale = {lo, hi, layout.box_left(), layout.box_right(), false};
    axis.label = label;
    return axis;
}

}  // namespace mm
