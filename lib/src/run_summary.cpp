#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/run_summary.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace mm {
namespace {

using json = nlohmann::json;

class SummaryReader {
public:
    explicit SummaryReader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& expected,
                           const json& found) const {
        std::string shown = found.dump();
        if (shown.size() > 60) shown = shown.substr(0, 60) + "...";
        throw Error(source_ + ": " + pointer + ": expected " + expected + ", found " + shown);
    }

    const json& member(const json& object, const std::string& pointer, const char* key) const {
        if (!object.is_object()) fail(pointer, "an object", object);
        const auto it = object.find(key);
        if (it == object.end())
            throw Error(source_ + ": " + pointer + "/" + key + ": missing (expected in " +
                        (pointer.empty() ? "the top-level object" : pointer) + ")");
        return *it;
    }

    std::size_t count(const json& v, const std::string& pointer) const {
        if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
            fail(pointer, "a non-negative integer", v);
        return v.get<std::size_t>();
    }

    double number(const json& v, const std::string& pointer) const {
        // nlohmann writes nan and inf as null: a diverged run's losses.
        if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
        if (!v.is_number()) fail(pointer, "a number (or null)", v);
        return v.get<double>();
    }

    std::string text(const json& v, const std::string& pointer) const {
        if (!v.is_string()) fail(pointer, "a string", v);
        return v.get<std::string>();
    }

private:
    std::string source_;
};

}  // namespace

RunSummary parse_run_summary(const json& j, const std::string& source) {
    const SummaryReader r(source);
    RunSummary s;
    s.iterations = r.count(r.member(j, "", "iterations"), "/iterations");
    s.wall_seconds = r.number(r.member(j, "", "wall_seconds"), "/wall_seconds");
    s.iterations_per_second =
        r.number(r.member(j, "", "iterations_per_second"), "/iterations_per_second");
    s.config_hash = r.text(r.member(j, "", "config_hash"), "/config_hash");
    s.loss = r.text(r.member(j, "", "loss"), "/loss");
    if (s.loss != "cross_entropy" && s.loss != "sum_squares")
        r.fail("/loss", "\"cross_entropy\" or \"sum_squares\"", j["loss"]);
    const json& dataset = r.member(j, "", "dataset");
    s.dataset_name = r.text(r.member(dataset, "/dataset", "name"), "/dataset/name");
    s.dataset_dir = r.text(r.member(dataset, "/dataset", "dir"), "/dataset/dir");

    const json& final = r.member(j, "", "final");
    s.train_loss = r.number(r.member(final, "/final", "train_loss"), "/final/train_loss");
    s.train_accuracy = r.number(r.member(final, "/final", "train_accuracy"), "/final/train_accuracy");
    s.test_loss = r.number(r.member(final, "/final", "test_loss"), "/final/test_loss");
    s.test_accuracy = r.number(r.member(final, "/final", "test_accuracy"), "/final/test_accuracy");

    const json& confusion = r.member(j, "", "test_confusion");
    if (!confusion.is_array() || confusion.empty())
        r.fail("/test_confusion", "a non-empty array of rows", confusion);
    const std::size_t classes = confusion.size();
    for (std::size_t row = 0; row < classes; ++row) {
        const std::string p = "/test_confusion/" + std::to_string(row);
        const json& counts = confusion[row];
        if (!counts.is_array() || counts.size() != classes)
            r.fail(p, "an array of " + std::to_string(classes) + " counts (a square matrix)", counts);
        auto& out = s.test_confusion.emplace_back();
        for (std::size_t c = 0; c < classes; ++c) {
            const std::size_t v = r.count(counts[c], p + "/" + std::to_string(c));
            if (v > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()))
                r.fail(p + "/" + std::to_string(c), "a count below 2^63", counts[c]);
            out.push_back(static_cast<std::int64_t>(v));
        }
    }

    const json& mistakes = r.member(j, "", "test_mistakes");
    if (!mistakes.is_array()) r.fail("/test_mistakes", "an array", mistakes);
    for (std::size_t k = 0; k < mistakes.size(); ++k) {
        const std::string p = "/test_mistakes/" + std::to_string(k);
        Mistake m{};
        m.index = r.count(r.member(mistakes[k], p, "index"), p + "/index");
        m.label = r.count(r.member(mistakes[k], p, "label"), p + "/label");
        m.predicted = r.count(r.member(mistakes[k], p, "predicted"), p + "/predicted");
        if (m.label >= classes)
            r.fail(p + "/label", "a class below " + std::to_string(classes), mistakes[k]["label"]);
        if (m.predicted >= classes)
            r.fail(p + "/predicted", "a class below " + std::to_string(classes),
                   mistakes[k]["predicted"]);
        s.test_mistakes.push_back(m);
    }
    return s;
}

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw Error(path + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const json::out_of_range& e) {
        // A number too large for a double (1e400): nlohmann reports it without a position.
        throw Error(path + ": invalid JSON: " + e.what());
    }
}

RunSummary read_run_summary(const std::string& path) {
    return parse_run_summary(read_json_file(path), path);
}

}  // namespace mm
