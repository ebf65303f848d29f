#include <mnist_minibatch/svg_writer.hpp>

#include <cmath>
#include <cstdio>

namespace mm {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += (c < 0x20 && ch != '\t' && ch != '\n') ? '?' : ch;
        }
    }
    return out;
}

std::string svg_number(double v) {
    if (!std::isfinite(v)) v = 0;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

SvgWriter::SvgWriter(double width, double height, const SvgAttributes& attributes) {
    SvgAttributes all{{"xmlns", "http://www.w3.org/2000/svg"},
                      {"width", svg_number(width)},
                      {"height", svg_number(height)},
                      {"viewBox", "0 0 " + svg_number(width) + " " + svg_number(height)},
                      {"font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"},
                      {"font-size", "12"}};
    all.insert(all.end(), attributes.begin(), attributes.end());
    open_tag("svg", all);
    out_ += ">\n";
}

void SvgWriter::open_tag(std::string_view name, const SvgAttributes& attributes) {
    out_ += '<';
    out_ += name;
    for (const auto& [key, value] : attributes) {
        out_ += ' ';
        out_ += key;
        out_ += "=\"";
        out_ += xml_escape(value);
        out_ += '"';
    }
}

void SvgWriter::open_group(const SvgAttributes& attributes) {
    open_tag("g", attributes);
    out_ += ">\n";
    ++open_groups_;
}

void SvgWriter::close_group() {
    if (open_groups_ == 0) return;
    out_ += "</g>\n";
    --open_groups_;
}

void SvgWriter::element(std::string_view name, const SvgAttributes& attributes) {
    open_tag(name, attributes);
    out_ += "/>\n";
}

void SvgWriter::text(double x, double y, std::string_view content,
                     const SvgAttributes& attributes) {
    SvgAttributes all{{"x", svg_number(x)}, {"y", svg_number(y)}};
    all.insert(all.end(), attributes.begin(), attributes.end());
    open_tag("text", all);
    out_ += '>';
    out_ += xml_escape(content);
    out_ += "</text>\n";
}

void SvgWriter::polyline(const std::vector<SvgPoint>& points, const SvgAttributes& attributes) {
    std::string coords;
    coords.reserve(points.size() * 14);
    for (const auto& p : points) {
        if (!coords.empty()) coords += ' ';
        coords += svg_number(p.x);
        coords += ',';
        coords += svg_number(p.y);
    }
    SvgAttributes all{{"points", coords}, {"fill", "none"}};
    all.insert(all.end(), attributes.begin(), attributes.end());
    element("polyline", all);
}

void SvgWriter::title(std::string_view content) {
    out_ += "<title>";
    out_ += xml_escape(content);
    out_ += "</title>\n";
}

std::string SvgWriter::finish() {
    while (open_groups_ > 0) close_group();
    out_ += "</svg>\n";
    return std::move(out_);
}

std::string svg_file_contents(const std::string& svg_document) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg_document;
}

}  // namespace mm
