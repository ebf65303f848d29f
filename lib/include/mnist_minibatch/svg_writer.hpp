#pragma once
// A small SVG document builder: it only ever emits well-formed XML (every attribute and text
// escaped, every element closed), and numbers in a fixed, locale-free format, so the charts built
// on it can be embedded in HTML or parsed as XML as they are.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mm {

using SvgAttributes = std::vector<std::pair<std::string, std::string>>;

// Escapes &, <, >, " and ' for use in XML text and attribute values; bytes that XML 1.0 forbids
// (control characters other than tab and newline) become '?'.
std::string xml_escape(std::string_view text);

// A coordinate or length: at most two decimals, no trailing zeros, never "-0" or exponent form.
std::string svg_number(double v);

struct SvgPoint {
    double x, y;
};

class SvgWriter {
public:
    // Starts <svg> with the given size in pixels (also its viewBox) and extra attributes such as
    // class or aria-label.
    SvgWriter(double width, double height, const SvgAttributes& attributes = {});

    void open_group(const SvgAttributes& attributes);
    void close_group();

    // An empty element such as rect, line or circle.
    void element(std::string_view name, const SvgAttributes& attributes);
    void text(double x, double y, std::string_view content, const SvgAttributes& attributes = {});
    void polyline(const std::vector<SvgPoint>& points, const SvgAttributes& attributes);
    // <title> of the enclosing element: the accessible name, also shown as a tooltip.
    void title(std::string_view content);

    // Closes every open group and the <svg>; returns the document without an XML declaration
    // (ready to inline into HTML). The writer is spent afterwards.
    std::string finish();

private:
    void open_tag(std::string_view name, const SvgAttributes& attributes);

    std::string out_;
    int open_groups_ = 0;
};

// The standalone .svg file form of a finished document.
std::string svg_file_contents(const std::string& svg_document);

}  // namespace mm
