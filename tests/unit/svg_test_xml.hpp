#pragma once
// A strict little XML parser for the tests: it accepts only well-formed XML (one root, matched
// tags, unique and quoted attributes, known entities, no stray '<' or '&') and returns the
// element tree, so a test can check the structure of every SVG and HTML file we write.
#include <cctype>
#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mm::test {

struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::vector<std::unique_ptr<XmlElement>> children;
    std::string text;  // all character data directly inside, entities decoded

    std::string attr(const std::string& key) const {
        const auto it = attributes.find(key);
        if (it == attributes.end()) throw std::runtime_error("<" + name + "> has no " + key);
        return it->second;
    }
    bool has_class(const std::string& c) const {
        const auto it = attributes.find("class");
        if (it == attributes.end()) return false;
        const std::string padded = " " + it->second + " ";
        return padded.find(" " + c + " ") != std::string::npos;
    }
    // Every descendant (depth first) with this element name ("" = any) and class ("" = any).
    std::vector<const XmlElement*> find_all(const std::string& tag, const std::string& cls = "") const {
        std::vector<const XmlElement*> out;
        collect(tag, cls, out);
        return out;
    }
    // Text of this element and all its descendants.
    std::string all_text() const {
        std::string t = text;
        for (const auto& c : children) t += c->all_text();
        return t;
    }

private:
    void collect(const std::string& tag, const std::string& cls,
                 std::vector<const XmlElement*>& out) const {
        for (const auto& c : children) {
            if ((tag.empty() || c->name == tag) && (cls.empty() || c->has_class(cls)))
                out.push_back(c.get());
            c->collect(tag, cls, out);
        }
    }
};

class XmlParser {
public:
    explicit XmlParser(std::string_view text) : s_(text) {}

    std::unique_ptr<XmlElement> parse_document() {
        skip_misc();
        if (!at("<")) fail("expected the root element");
        auto root = parse_element();
        skip_misc();
        if (pos_ != s_.size()) fail("content after the root element");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("XML error at byte " + std::to_string(pos_) + ": " + what);
    }
    bool at(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
    void expect(std::string_view p) {
        if (!at(p)) fail("expected '" + std::string(p) + "'");
        pos_ += p.size();
    }
    static bool space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
    void skip_space() {
        while (pos_ < s_.size() && space(s_[pos_])) ++pos_;
    }
    void skip_until(std::string_view end) {
        const auto e = s_.find(end, pos_);
        if (e == std::string_view::npos) fail("unterminated construct, expected '" + std::string(end) + "'");
        pos_ = e + end.size();
    }
    // XML declaration, doctype, comments and whitespace around the root.
    void skip_misc() {
        for (;;) {
            skip_space();
            if (at("<?")) skip_until("?>");
            else if (at("<!--")) skip_until("-->");
            else if (at("<!DOCTYPE")) skip_until(">");
            else return;
        }
    }
    std::string parse_name() {
        const std::size_t start = pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
                c == '.')
                ++pos_;
            else
                break;
        }
        if (pos_ == start) fail("expected a name");
        return std::string(s_.substr(start, pos_ - start));
    }
    std::string decode(std::string_view raw) const {
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '<') throw std::runtime_error("XML error: raw '<' in text or attribute");
            if (raw[i] != '&') {
                out += raw[i];
                continue;
            }
            const auto semi = raw.find(';', i);
            if (semi == std::string_view::npos) throw std::runtime_error("XML error: bare '&'");
            const std::string_view ent = raw.substr(i + 1, semi - i - 1);
            if (ent == "amp") out += '&';
            else if (ent == "lt") out += '<';
            else if (ent == "gt") out += '>';
            else if (ent == "quot") out += '"';
            else if (ent == "apos") out += '\'';
            else if (!ent.empty() && ent[0] == '#') out += '?';
            else throw std::runtime_error("XML error: unknown entity &" + std::string(ent) + ";");
            i = semi;
        }
        return out;
    }
    std::unique_ptr<XmlElement> parse_element() {
        expect("<");
        auto e = std::make_unique<XmlElement>();
        e->name = parse_name();
        for (;;) {
            const bool had_space = pos_ < s_.size() && space(s_[pos_]);
            skip_space();
            if (at("/>")) {
                pos_ += 2;
                return e;
            }
            if (at(">")) {
                ++pos_;
                break;
            }
            if (!had_space) fail("expected whitespace before an attribute");
            const std::string key = parse_name();
            skip_space();
            expect("=");
            skip_space();
            if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("unquoted attribute");
            const char q = s_[pos_++];
            const auto end = s_.find(q, pos_);
            if (end == std::string_view::npos) fail("unterminated attribute");
            if (!e->attributes.emplace(key, decode(s_.substr(pos_, end - pos_))).second)
                fail("duplicate attribute " + key);
            pos_ = end + 1;
        }
        for (;;) {
            const auto lt = s_.find('<', pos_);
            if (lt == std::string_view::npos) fail("unclosed <" + e->name + ">");
            e->text += decode(s_.substr(pos_, lt - pos_));
            pos_ = lt;
            if (at("</")) {
                pos_ += 2;
                const std::string closing = parse_name();
                if (closing != e->name) fail("</" + closing + "> closes <" + e->name + ">");
                skip_space();
                expect(">");
                return e;
            }
            if (at("<!--")) {
                skip_until("-->");
                continue;
            }
            e->children.push_back(parse_element());
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

inline std::unique_ptr<XmlElement> parse_xml(std::string_view text) {
    return XmlParser(text).parse_document();
}

}  // namespace mm::test
