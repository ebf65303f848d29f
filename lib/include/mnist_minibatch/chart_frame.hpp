#pragma once
// What every x/y chart shares: the plot box inside the picture, the mapping of data values to
// pixels (linear or log), "nice" tick positions, axes with labels, a legend, and the reduction of a
// long series to what the pixels can show. Data are never changed, only their drawing.
#include <mnist_minibatch/svg_writer.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace mm {

// A data interval mapped onto a pixel interval; `log` maps log10 of the value.
struct AxisScale {
    double lo = 0, hi = 1;          // data range, lo < hi (and lo > 0 when log)
    double pixel_lo = 0, pixel_hi = 1;
    bool log = false;

    double to_pixel(double v) const;
    // Whether `v` can be drawn on this axis at all (finite, and positive on a log axis).
    bool drawable(double v) const;
};

// Widens [lo, hi] to whole tick steps and returns the ticks: multiples of 1, 2 or 5 times a power
// of ten on a linear axis, powers of ten (with 2 and 5 in between for short ranges) on a log one.
// A single value v becomes an interval around it, no value at all (lo > hi) [0, 1] or [1, 10].
std::vector<double> nice_range(double& lo, double& hi, bool log);

// Tick labels with just enough decimals to tell neighbouring ticks apart.
std::vector<std::string> tick_labels(const std::vector<double>& ticks, bool log);

struct ChartLayout {
    double width = 640, height = 400;
    double left = 72, right = 24, top = 44, bottom = 58;

    double box_left() const { return left; }
    double box_right() const { return width - right; }
    double box_top() const { return top; }
    double box_bottom() const { return height - bottom; }
};

struct AxisSpec {
    AxisScale scale;
    std::string label;
    std::vector<double> ticks;
};

// Draws the title, the plot box (class "plot-box"), grid lines, tick marks with labels (groups of
// class "x-axis" and "y-axis", one "tick" group per tick) and the axis labels.
void draw_chart_frame(SvgWriter& svg, const ChartLayout& layout, const std::string& title,
                      const AxisSpec& x, const AxisSpec& y);

struct LegendEntry {
    std::string label;
    SvgAttributes line_style;  // stroke, stroke-width, stroke-dasharray, opacity
};

enum class LegendCorner { top_right, bottom_right };

// A legend box (class "legend") in a corner of the plot box, where the data leave room for it.
void draw_legend(SvgWriter& svg, const ChartLayout& layout, const std::vector<LegendEntry>& entries,
                 LegendCorner corner = LegendCorner::top_right);

// A note line under the title (class "note"), e.g. what could not be drawn.
void draw_note(SvgWriter& svg, const ChartLayout& layout, const std::string& note, int line = 0);

// The pixel polylines of a series: non-drawable values split it into separate runs (gaps), and
// when there are more points than pixel columns each column keeps only its first, lowest, highest
// and last point, which draws the same picture, spikes included, from O(width) points.
std::vector<std::vector<SvgPoint>> series_polylines(const std::vector<double>& x,
                                                    const std::vector<double>& y,
                                                    const AxisScale& xs, const AxisScale& ys);

// Range of the values of `v` that `drawable` accepts; false when there is none.
bool drawable_range(const std::vector<double>& v, bool log, double& lo, double& hi);

// A linear x axis over the drawable values of `x`, widened to whole tick steps.
AxisSpec linear_x_axis(const std::vector<double>& x, const ChartLayout& layout,
                       const std::string& label);

}  // namespace mm
