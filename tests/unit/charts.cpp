#include "svg_test_xml.hpp"

#include <mnist_minibatch/accuracy_chart.hpp>
#include <mnist_minibatch/chart_frame.hpp>
#include <mnist_minibatch/confusion_chart.hpp>
#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/loss_chart.hpp>
#include <mnist_minibatch/svg_writer.hpp>
#include <mnist_minibatch/text_chart.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

using mm::test::parse_xml;
using mm::test::XmlElement;

namespace {

const double nan_value = std::nan("");

mm::CsvLog make_log(const std::vector<std::string>& columns, std::size_t rows,
                    const std::function<double(const std::string&, std::size_t)>& value) {
    mm::CsvLog log;
    log.columns = columns;
    for (const auto& c : columns) {
        auto& v = log.values.emplace_back();
        for (std::size_t i = 0; i < rows; ++i) v.push_back(value(c, i));
    }
    return log;
}

// A loss log whose cee column is `cee` (sse is half of it).
mm::CsvLog loss_log(const std::vector<double>& cee) {
    return make_log(mm::loss_log_columns(), cee.size(), [&](const std::string& c, std::size_t i) {
        if (c == "iteration") return static_cast<double>(i);
        if (c == "cee") return cee[i];
        if (c == "sse") return cee[i] / 2;
        return 0.1;
    });
}

mm::CsvLog epoch_log(const std::vector<double>& train, const std::vector<double>& test) {
    return make_log(mm::epoch_log_columns(), train.size(), [&](const std::string& c, std::size_t i) {
        if (c == "epoch") return static_cast<double>(i);
        if (c == "train_accuracy") return train[i];
        if (c == "test_accuracy") return test[i];
        return 0.0;
    });
}

struct Box {
    double x0, y0, x1, y1;
    bool contains(double x, double y) const {
        return x >= x0 - 0.01 && x <= x1 + 0.01 && y >= y0 - 0.01 && y <= y1 + 0.01;
    }
};

Box plot_box(const XmlElement& svg) {
    const auto boxes = svg.find_all("rect", "plot-box");
    REQUIRE(boxes.size() == 1);
    const double x = std::stod(boxes[0]->attr("x")), y = std::stod(boxes[0]->attr("y"));
    return {x, y, x + std::stod(boxes[0]->attr("width")), y + std::stod(boxes[0]->attr("height"))};
}

std::vector<std::pair<double, double>> polyline_points(const XmlElement& polyline) {
    std::vector<std::pair<double, double>> points;
    std::istringstream in(polyline.attr("points"));
    std::string pair;
    while (in >> pair) {
        const auto comma = pair.find(',');
        REQUIRE(comma != std::string::npos);
        points.emplace_back(std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)));
    }
    return points;
}

// Every drawn data point of every series lies inside the plot box; returns how many there are.
std::size_t check_series_inside_box(const XmlElement& svg) {
    const Box box = plot_box(svg);
    std::size_t count = 0;
    for (const auto* series : svg.find_all("g", "series")) {
        for (const auto* line : series->find_all("polyline"))
            for (const auto& [x, y] : polyline_points(*line)) {
                INFO(x << "," << y);
                CHECK(box.contains(x, y));
                ++count;
            }
        for (const auto* dot : series->find_all("circle")) {
            CHECK(box.contains(std::stod(dot->attr("cx")), std::stod(dot->attr("cy"))));
            ++count;
        }
        for (const auto* square : series->find_all("rect")) {
            CHECK(box.contains(std::stod(square->attr("x")) + std::stod(square->attr("width")) / 2,
                               std::stod(square->attr("y")) + std::stod(square->attr("height")) / 2));
            ++count;
        }
    }
    return count;
}

// The axes: a group per axis with at least two labelled ticks inside the box's span, and a label.
void check_axes(const XmlElement& svg, const std::string& x_label, const std::string& y_label) {
    const Box box = plot_box(svg);
    const auto x_axis = svg.find_all("g", "x-axis");
    const auto y_axis = svg.find_all("g", "y-axis");
    REQUIRE(x_axis.size() == 1);
    REQUIRE(y_axis.size() == 1);
    const auto x_ticks = x_axis[0]->find_all("g", "tick");
    const auto y_ticks = y_axis[0]->find_all("g", "tick");
    CHECK(x_ticks.size() >= 2);
    CHECK(y_ticks.size() >= 2);
    for (const auto* t : x_ticks) {
        CHECK_FALSE(t->find_all("text").at(0)->text.empty());
        const double x = std::stod(t->find_all("line").at(0)->attr("x1"));
        CHECK((x >= box.x0 - 0.01 && x <= box.x1 + 0.01));
    }
    for (const auto* t : y_ticks) {
        CHECK_FALSE(t->find_all("text").at(0)->text.empty());
        const double y = std::stod(t->find_all("line").at(0)->attr("y1"));
        CHECK((y >= box.y0 - 0.01 && y <= box.y1 + 0.01));
    }
    CHECK(x_axis[0]->find_all("text", "axis-label").at(0)->text == x_label);
    CHECK(y_axis[0]->find_all("text", "axis-label").at(0)->text == y_label);
}

std::string notes(const XmlElement& svg) {
    std::string all;
    for (const auto* n : svg.find_all("text", "note")) all += n->text + "\n";
    return all;
}

}  // namespace

TEST_CASE("nice_range widens to tick steps of 1, 2 or 5 times a power of ten", "[charts]") {
    double lo = 0, hi = 2.3;
    auto ticks = mm::nice_range(lo, hi, false);
    CHECK(lo == 0);
    CHECK(hi == Approx(2.5));
    REQUIRE(ticks.size() == 6);
    CHECK(ticks[1] == Approx(0.5));
    CHECK(ticks.back() == Approx(2.5));
    CHECK(mm::tick_labels(ticks, false) == std::vector<std::string>{"0", "0.5", "1.0", "1.5", "2.0", "2.5"});

    lo = 0, hi = 16.0017;  // the next tick (18) would leave 12% empty: a small margin instead
    ticks = mm::nice_range(lo, hi, false);
    CHECK(hi == Approx(16.0017 * 1.02));
    CHECK(ticks.back() == Approx(16));

    lo = 3, hi = 3;  // one value
    ticks = mm::nice_range(lo, hi, false);
    CHECK(lo < 3);
    CHECK(hi > 3);
    CHECK(ticks.size() >= 2);

    lo = INFINITY, hi = -INFINITY;  // no value
    ticks = mm::nice_range(lo, hi, false);
    CHECK(lo == 0);
    CHECK(hi == 1);

    lo = 0.05, hi = 2.3;
    ticks = mm::nice_range(lo, hi, true);
    CHECK(lo == Approx(0.01));
    CHECK(hi == Approx(10));
    CHECK(mm::tick_labels(ticks, true) == std::vector<std::string>{"0.01", "0.1", "1", "10"});

    lo = 0.3, hi = 0.7;  // less than a decade: 2 and 5 in between
    ticks = mm::nice_range(lo, hi, true);
    CHECK(mm::tick_labels(ticks, true) == std::vector<std::string>{"0.1", "0.2", "0.5", "1"});

    lo = -1.7e308, hi = 1.7e308;  // the span overflows a double
    ticks = mm::nice_range(lo, hi, false);
    CHECK(ticks.size() >= 2);
    CHECK(std::isfinite(lo));
}

TEST_CASE("moving_average is a trailing mean of the finite values", "[charts]") {
    CHECK(mm::moving_average({1, 2, 3, 4}, 2) == std::vector<double>{1, 1.5, 2.5, 3.5});
    CHECK(mm::moving_average({1, 2, 3}, 1) == std::vector<double>{1, 2, 3});
    const auto gap = mm::moving_average({1, nan_value, 3, INFINITY}, 2);
    CHECK(gap[0] == 1);
    CHECK(gap[1] == 1);
    CHECK(gap[2] == 3);
    CHECK(gap[3] == 3);
    const auto none = mm::moving_average({nan_value, nan_value}, 5);
    CHECK(std::isnan(none[0]));
    CHECK(std::isnan(none[1]));
    CHECK(mm::moving_average({}, 3).empty());
    // Small values right after huge ones keep their precision (no running subtraction).
    const auto mixed = mm::moving_average({1e300, 1e-300, 2e-300, 3e-300, 4e-300}, 2);
    CHECK(mixed[0] == 1e300);
    CHECK(mixed[1] == 5e299);
    CHECK(mixed[2] == Approx(1.5e-300));
    CHECK(mixed[4] == Approx(3.5e-300));
    // Agrees with the direct definition on a longer series with gaps, for several windows.
    std::vector<double> v;
    for (int i = 0; i < 200; ++i) v.push_back(i % 17 == 3 ? nan_value : std::sin(i * 0.37) + 2);
    for (std::size_t w : {1, 2, 7, 50, 199, 200, 500}) {
        const auto fast = mm::moving_average(v, w);
        for (std::size_t i = 0; i < v.size(); ++i) {
            double sum = 0;
            int count = 0;
            for (std::size_t j = i + 1 > w ? i + 1 - w : 0; j <= i; ++j)
                if (std::isfinite(v[j])) sum += v[j], ++count;
            INFO("window " << w << " at " << i);
            if (count == 0)
                CHECK(std::isnan(fast[i]));
            else
                CHECK(fast[i] == Approx(sum / count));
        }
    }
}

TEST_CASE("loss chart of a normal run: axes, two series inside the box, legend", "[charts]") {
    std::vector<double> cee;
    for (int i = 0; i < 1000; ++i) cee.push_back(2.3 * std::exp(-i / 200.0) + 0.1 * ((i * 7919) % 13) / 13.0);
    const auto svg = parse_xml(mm::svg_file_contents(mm::loss_chart_svg(loss_log(cee))));
    CHECK(svg->has_class("loss-chart"));
    check_axes(*svg, "iteration", "loss (cross-entropy error)");
    CHECK(svg->find_all("g", "series").size() == 2);
    REQUIRE(svg->find_all("g", "raw").size() == 1);
    CHECK(svg->find_all("g", "raw")[0]->attr("data-points") == "1000");
    CHECK(svg->find_all("g", "smoothed")[0]->attr("data-window") == "20");
    CHECK(check_series_inside_box(*svg) > 100);
    CHECK(svg->find_all("g", "legend")[0]->find_all("text").size() == 2);
    CHECK(svg->find_all("text", "chart-title")[0]->text == "Training loss per iteration (cross-entropy error)");
    CHECK(notes(*svg).empty());
    // A loss axis starts at 0 like the book's figure.
    CHECK(svg->find_all("g", "y-axis")[0]->find_all("text")[0]->text == "0");
}

TEST_CASE("the moving average is drawn at the middle of its window", "[charts]") {
    std::vector<double> line;
    for (int i = 0; i < 40; ++i) line.push_back(i);
    mm::LossChartOptions o;
    o.smoothing_window = 5;
    const auto svg = parse_xml(mm::loss_chart_svg(loss_log(line), o));
    const auto raw = polyline_points(*svg->find_all("g", "raw")[0]->find_all("polyline").at(0));
    const auto smooth = polyline_points(*svg->find_all("g", "smoothed")[0]->find_all("polyline").at(0));
    REQUIRE(raw.size() == 40);
    REQUIRE(smooth.size() == 40);
    // On a straight line the centred average of 5 lies on the data: j's average is point j - 2.
    for (std::size_t j = 4; j < 40; ++j) {
        CHECK(smooth[j].first == Approx(raw[j - 2].first));
        CHECK(smooth[j].second == Approx(raw[j - 2].second));
    }
}

TEST_CASE("loss chart of the other loss and with a log axis", "[charts]") {
    mm::LossChartOptions o;
    o.column = "sse";
    o.log_scale = true;
    const auto svg = parse_xml(mm::loss_chart_svg(loss_log({4, 2, 0, 1, 0.5, -1, 0.25}), o));
    CHECK(svg->attr("data-loss") == "sse");
    check_axes(*svg, "iteration", "loss (sum of squared errors), log scale");
    CHECK_THAT(notes(*svg), Catch::Contains("2 of 7 values not drawn (nan, inf or not positive)"));
    check_series_inside_box(*svg);
    o.column = "accuracy";
    CHECK_THROWS_AS(mm::loss_chart_svg(loss_log({1}), o), mm::Error);
}

TEST_CASE("loss chart of one point, constant values and no values", "[charts]") {
    SECTION("one point") {
        const auto svg = parse_xml(mm::loss_chart_svg(loss_log({2.3})));
        check_axes(*svg, "iteration", "loss (cross-entropy error)");
        CHECK(svg->find_all("g", "raw")[0]->find_all("circle").size() == 1);
        CHECK(check_series_inside_box(*svg) == 1);
    }
    SECTION("constant values") {
        const auto svg = parse_xml(mm::loss_chart_svg(loss_log(std::vector<double>(50, 0.7))));
        check_axes(*svg, "iteration", "loss (cross-entropy error)");
        check_series_inside_box(*svg);
        const auto points = polyline_points(*svg->find_all("g", "raw")[0]->find_all("polyline").at(0));
        for (const auto& p : points) CHECK(p.second == points[0].second);
        const Box box = plot_box(*svg);
        CHECK(points[0].second > box.y0 + 1);  // drawn inside, not on the frame
    }
    SECTION("constant log values") {
        mm::LossChartOptions o;
        o.log_scale = true;
        const auto svg = parse_xml(mm::loss_chart_svg(loss_log(std::vector<double>(5, 0.7)), o));
        check_axes(*svg, "iteration", "loss (cross-entropy error), log scale");
        check_series_inside_box(*svg);
    }
    SECTION("no values") {
        const auto svg = parse_xml(mm::loss_chart_svg(loss_log({})));
        check_axes(*svg, "iteration", "loss (cross-entropy error)");
        CHECK(check_series_inside_box(*svg) == 0);
        CHECK_THAT(notes(*svg), Catch::Contains("no loss values logged yet"));
    }
    SECTION("only nan") {
        const auto svg = parse_xml(mm::loss_chart_svg(loss_log({nan_value, nan_value})));
        CHECK(check_series_inside_box(*svg) == 0);
        CHECK_THAT(notes(*svg), Catch::Contains("2 of 2 values not drawn"));
    }
}

TEST_CASE("nan and inf in the loss leave gaps in the line", "[charts]") {
    std::vector<double> cee(30, 1.0);
    cee[10] = nan_value;
    cee[20] = INFINITY;
    cee[21] = nan_value;
    for (std::size_t i = 0; i < cee.size(); ++i)
        if (std::isfinite(cee[i])) cee[i] += static_cast<double>(i) / 30;
    const auto svg = parse_xml(mm::loss_chart_svg(loss_log(cee)));
    const auto raw = svg->find_all("g", "raw")[0]->find_all("polyline");
    REQUIRE(raw.size() == 3);
    CHECK(polyline_points(*raw[0]).size() == 10);
    CHECK(polyline_points(*raw[1]).size() == 9);
    CHECK(polyline_points(*raw[2]).size() == 8);
    CHECK_THAT(notes(*svg), Catch::Contains("3 of 30 values not drawn (nan or inf)"));
    check_series_inside_box(*svg);
}

TEST_CASE("a million points are downsampled for drawing only, spikes kept", "[charts]") {
    const std::size_t n = 1000000;
    std::vector<double> cee(n);
    for (std::size_t i = 0; i < n; ++i) cee[i] = 1.0 + 0.5 * std::sin(static_cast<double>(i) * 0.001);
    cee[654321] = 40.0;
    const auto svg = parse_xml(mm::loss_chart_svg(loss_log(cee)));
    const auto* raw = svg->find_all("g", "raw")[0];
    CHECK(raw->attr("data-points") == "1000000");
    CHECK(svg->find_all("g", "smoothed")[0]->attr("data-window") == "20000");
    const std::size_t drawn = check_series_inside_box(*svg);
    const Box box = plot_box(*svg);
    CHECK(drawn < 8 * static_cast<std::size_t>(box.x1 - box.x0 + 2));
    // The single spike reaches the top of the box (the highest value sets the axis).
    double top = box.y1;
    for (const auto* line : raw->find_all("polyline"))
        for (const auto& p : polyline_points(*line)) top = std::min(top, p.second);
    CHECK(top < box.y0 + 0.2 * (box.y1 - box.y0));
}

TEST_CASE("accuracy chart: train solid, test dashed, y from 0 to 1, legend", "[charts]") {
    const std::vector<double> train{0.1, 0.78, 0.88, 0.9, 0.91}, test{0.1, 0.79, 0.88, 0.9, 0.91};
    const auto svg = parse_xml(mm::svg_file_contents(mm::accuracy_chart_svg(epoch_log(train, test))));
    CHECK(svg->has_class("accuracy-chart"));
    check_axes(*svg, "epoch", "accuracy");
    const auto y_labels = svg->find_all("g", "y-axis")[0]->find_all("text");
    CHECK(y_labels.front()->text == "0");
    CHECK(y_labels[y_labels.size() - 2]->text == "1.0");
    const auto train_g = svg->find_all("g", "train"), test_g = svg->find_all("g", "test");
    REQUIRE(train_g.size() == 1);
    REQUIRE(test_g.size() == 1);
    CHECK(train_g[0]->find_all("polyline").at(0)->attributes.count("stroke-dasharray") == 0);
    CHECK(test_g[0]->find_all("polyline").at(0)->attributes.count("stroke-dasharray") == 1);
    CHECK(train_g[0]->find_all("", "marker").size() == 5);
    CHECK(test_g[0]->find_all("", "marker").size() == 5);
    CHECK(check_series_inside_box(*svg) == 4 * 5);  // two lines, circle and square markers
    const auto legend = svg->find_all("g", "legend")[0]->find_all("text");
    REQUIRE(legend.size() == 2);
    CHECK(legend[0]->text == "train acc");
    CHECK(legend[1]->text == "test acc");
    // 0.91 sits at 91% of the box height.
    const Box box = plot_box(*svg);
    const auto last = polyline_points(*train_g[0]->find_all("polyline")[0]).back();
    CHECK(last.second == Approx(box.y1 - 0.91 * (box.y1 - box.y0)).margin(0.01));
}

TEST_CASE("accuracy chart of one evaluation, none, and values outside 0..1", "[charts]") {
    SECTION("one") {
        const auto svg = parse_xml(mm::accuracy_chart_svg(epoch_log({0.1}, {0.2})));
        check_axes(*svg, "epoch", "accuracy");
        CHECK(check_series_inside_box(*svg) == 2);
    }
    SECTION("none") {
        const auto svg = parse_xml(mm::accuracy_chart_svg(epoch_log({}, {})));
        check_axes(*svg, "epoch", "accuracy");
        CHECK_THAT(notes(*svg), Catch::Contains("no evaluation logged yet"));
    }
    SECTION("out of range") {
        const auto svg = parse_xml(mm::accuracy_chart_svg(epoch_log({0.1, 1.5, 0.3}, {nan_value, 0.2, -0.1})));
        CHECK_THAT(notes(*svg), Catch::Contains("3 accuracy values not drawn"));
        check_series_inside_box(*svg);
    }
}

TEST_CASE("confusion chart: a heat map cell with its count for every pair", "[charts]") {
    mm::ConfusionMatrix m(10, std::vector<std::int64_t>(10, 0));
    for (int r = 0; r < 10; ++r) {
        m[r][r] = 900 + r;
        m[r][(r + 3) % 10] = r;
    }
    const auto svg = parse_xml(mm::svg_file_contents(mm::confusion_chart_svg(m)));
    CHECK(svg->has_class("confusion-chart"));
    const auto cells = svg->find_all("rect", "cell");
    const auto counts = svg->find_all("text", "count");
    REQUIRE(cells.size() == 100);
    REQUIRE(counts.size() == 100);
    CHECK(svg->find_all("rect", "diagonal").size() == 10);
    CHECK(counts[0]->text == "900");
    CHECK(counts[9 * 10 + 9]->text == "909");
    CHECK(counts[2 * 10 + 5]->text == "2");
    CHECK(cells[0]->attr("fill") != cells[1]->attr("fill"));
    CHECK(cells[1]->attr("fill") == "#ffffff");
    CHECK(svg->find_all("text", "row-accuracy")[0]->text == "100.0%");
    CHECK(svg->find_all("text", "column-label").size() == 10);
    CHECK(svg->find_all("text", "row-label").size() == 10);
    const auto labels = svg->find_all("text", "axis-label");
    REQUIRE(labels.size() >= 2);
    CHECK(labels[0]->text == "predicted label");
    CHECK(labels[1]->text == "true label");
}

TEST_CASE("confusion chart: empty rows, and bad matrices are errors", "[charts]") {
    const auto svg = parse_xml(mm::confusion_chart_svg({{0, 0}, {1, 3}}));
    CHECK(svg->find_all("text", "row-accuracy")[0]->text == "-");
    CHECK(svg->find_all("text", "row-accuracy")[1]->text == "75.0%");
    CHECK_THROWS_WITH(mm::confusion_chart_svg({{1, 2}, {3}}), Catch::Contains("row 1 has 1 counts"));
    CHECK_THROWS_WITH(mm::confusion_chart_svg({{1, -2}, {3, 4}}), Catch::Contains("[0][1] is negative"));
}

TEST_CASE("text chart fits any data in the asked size", "[charts]") {
    std::vector<double> x, y;
    for (int i = 0; i < 100000; ++i) {
        x.push_back(i);
        y.push_back(i % 1000 == 0 ? nan_value : 2.0 - i / 100000.0);
    }
    const std::string chart = mm::text_chart(x, y, 40, 8);
    std::istringstream in(chart);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    REQUIRE(lines.size() == 10);
    for (std::size_t r = 0; r < 8; ++r) CHECK(lines[r].size() == 10 + 2 + 40);
    CHECK(lines[0].find('*') == 12);  // the start is the highest point: top-left
    CHECK(lines[7].rfind('*') == 51);  // the end is the lowest: bottom-right
    CHECK_THAT(lines[9], Catch::Contains("99999"));
    CHECK(mm::text_chart({}, {}, 40, 8) == "  (no finite values yet)\n");
    CHECK(mm::text_chart({1}, {5}, 1, 1).find('*') != std::string::npos);
}

TEST_CASE("extreme finite values still draw inside the box", "[charts]") {
    const auto svg = parse_xml(mm::loss_chart_svg(loss_log({1.7e308, -1.7e308, 1e-300, 5})));
    check_axes(*svg, "iteration", "loss (cross-entropy error)");
    CHECK(check_series_inside_box(*svg) == 2 * 4);  // raw and a moving average of 1
    mm::LossChartOptions o;
    o.log_scale = true;
    const auto log_svg = parse_xml(mm::loss_chart_svg(loss_log({1.7e308, 4.9e-324, 1}), o));
    CHECK(check_series_inside_box(*log_svg) == 2 * 3);
}
