#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/error.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

namespace mm {
namespace {

using nlohmann::json;

// The book's run length; used when neither training.iterations nor training.epochs is given.
constexpr std::size_t kDefaultIterations = 10000;

// A JSON pointer segment as RFC 6901 writes it, with control characters made visible so that
// every message stays on one line.
std::string escape_key(const std::string& key) {
    std::string out;
    for (const char ch : key) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '~') {
            out += "~0";
        } else if (ch == '/') {
            out += "~1";
        } else if (u < 0x20 || u == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += ch;
        }
    }
    return out;
}

std::string child_pointer(const std::string& pointer, const std::string& key) {
    return pointer + "/" + escape_key(key);
}

[[noreturn]] void fail_at(const std::string& source, const std::string& origin,
                          const std::string& pointer, const std::string& message) {
    std::string text = source + ": ";
    if (!origin.empty()) text += origin + ": ";
    text += (pointer.empty() ? std::string("top level") : pointer) + ": " + message;
    throw Error(text);
}

// A value as a message shows it: compact JSON, ASCII only, cut short when long.
std::string shown(const json& v) {
    if (v.is_number_float() && !std::isfinite(v.get<double>())) {
        const double d = v.get<double>();
        return std::isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf");
    }
    std::string s = v.dump(-1, ' ', true, json::error_handler_t::replace);
    constexpr std::size_t kMaxShown = 60;
    if (s.size() > kMaxShown) s = s.substr(0, kMaxShown - 3) + "...";
    return s;
}

std::string quoted_list(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "\"" : ", \"") + w + "\"";
    return out;
}

// Reports problems in one config document: `origins` maps the JSON pointer of every value a
// `--set` override put there to that override, so its message names the override, not the file.
class Problems {
public:
    Problems(std::string source, std::map<std::string, std::string> origins)
        : source_(std::move(source)), origins_(std::move(origins)) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
        std::string origin;
        for (const auto& [at, text] : origins_)
            if (pointer == at || pointer.compare(0, at.size() + 1, at + "/") == 0) origin = text;
        fail_at(source_, origin, pointer, message);
    }

private:
    std::string source_;
    std::map<std::string, std::string> origins_;
};

// One value being read: where it is, and how to complain about it.
struct Node {
    const json& value;
    std::string pointer;
    const Problems& problems;

    [[noreturn]] void expected(const std::string& what) const {
        problems.fail(pointer, "expected " + what + ", found " + shown(value));
    }
};

std::uint64_t read_integer(const Node& n, std::uint64_t min, std::uint64_t max,
                           const std::string& what) {
    if (n.value.is_number_unsigned()) {
        const auto v = n.value.get<std::uint64_t>();
        if (v >= min && v <= max) return v;
    } else if (n.value.is_number_integer()) {
        const auto v = n.value.get<std::int64_t>();
        if (v >= 0 && static_cast<std::uint64_t>(v) >= min && static_cast<std::uint64_t>(v) <= max)
            return static_cast<std::uint64_t>(v);
    }
    n.expected(what);
}

std::size_t read_count(const Node& n, std::size_t min, const std::string& what) {
    return static_cast<std::size_t>(
        read_integer(n, min, std::numeric_limits<std::size_t>::max(), what));
}

std::string at_least(std::size_t min) {
    return "an integer >= " + std::to_string(min);
}

struct RealRange {
    const char* description;
    bool (*contains)(double);
};

const RealRange kPositive{"a finite number > 0", [](double v) { return v > 0; }};
const RealRange kUnitInterval{"a number >= 0 and < 1", [](double v) { return v >= 0 && v < 1; }};

double read_real(const Node& n, const RealRange& range) {
    if (n.value.is_number()) {
        const double v = n.value.get<double>();
        if (std::isfinite(v) && range.contains(v)) return v;
    }
    n.expected(range.description);
}

std::string read_choice(const Node& n, const std::vector<std::string>& allowed) {
    if (n.value.is_string()) {
        const auto& s = n.value.get_ref<const std::string&>();
        if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
    }
    n.expected("one of " + quoted_list(allowed));
}

// One key of the config: a section (a JSON object of more keys) or a value with its reader and
// writer. The same table drives parsing, writing and the checking of `--set` paths.
struct Field {
    std::string key;
    std::vector<Field> children;
    std::function<void(const Node&, Config&)> read;
    std::function<json(const Config&)> write;

    bool is_section() const { return !children.empty(); }

    const Field* find(const std::string& k) const {
        for (const auto& f : children)
            if (f.key == k) return &f;
        return nullptr;
    }
};

// Accessors that work on both a Config and a const Config, so one lambda serves reader and writer.
template <class S, class T>
auto at(S Config::*section, T S::*member) {
    return [ section, member ](auto& c) -> auto& {
        return (c.*section).*member;
    };
}
template <class T>
auto at(T Config::*member) {
    return [member](auto& c) -> auto& {
        return c.*member;
    };
}

template <class Get, class Read>
Field value_field(std::string key, Get get, Read read) {
    return {std::move(key),
            {},
            [get, read](const Node& n, Config& c) { get(c) = read(n); },
            [get](const Config& c) { return json(get(c)); }};
}

template <class Get>
Field choice(std::string key, Get get, std::vector<std::string> allowed) {
    return value_field(std::move(key), get,
                       [allowed](const Node& n) { return read_choice(n, allowed); });
}

template <class Get>
Field text(std::string key, Get get, bool allow_empty) {
    return value_field(std::move(key), get, [allow_empty](const Node& n) {
        if (!n.value.is_string() || (!allow_empty && n.value.get_ref<const std::string&>().empty()))
            n.expected(allow_empty ? "a string" : "a non-empty string");
        return n.value.get<std::string>();
    });
}

template <class Get>
Field flag(std::string key, Get get) {
    return value_field(std::move(key), get, [](const Node& n) {
        if (!n.value.is_boolean()) n.expected("true or false");
        return n.value.get<bool>();
    });
}

template <class Get>
Field count(std::string key, Get get, std::size_t min) {
    return value_field(std::move(key), get,
                       [min](const Node& n) { return read_count(n, min, at_least(min)); });
}

// null means "not given", which is how to_json writes the one of a pair that is not in use.
template <class Get>
Field optional_count(std::string key, Get get) {
    return {std::move(key),
            {},
            [get](const Node& n, Config& c) {
                get(c) =
                    n.value.is_null()
                        ? std::nullopt
                        : std::optional<std::size_t>(read_count(n, 1, "an integer >= 1 or null"));
            },
            [get](const Config& c) { return get(c) ? json(*get(c)) : json(nullptr); }};
}

template <class Get>
Field seed(std::string key, Get get) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint32_t>::max();
    return value_field(std::move(key), get, [](const Node& n) {
        return static_cast<std::uint32_t>(
            read_integer(n, 0, max, "an integer from 0 to " + std::to_string(max)));
    });
}

template <class Get>
Field real(std::string key, Get get, const RealRange& range) {
    return value_field(std::move(key), get,
                       [&range](const Node& n) { return read_real(n, range); });
}

template <class Get>
Field sizes(std::string key, Get get) {
    return value_field(std::move(key), get, [](const Node& n) {
        if (!n.value.is_array()) n.expected("an array of integers >= 1 (empty: no hidden layer)");
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < n.value.size(); ++i)
            out.push_back(read_count(
                Node{n.value[i], child_pointer(n.pointer, std::to_string(i)), n.problems}, 1,
                at_least(1)));
        return out;
    });
}

Field section(std::string key, std::vector<Field> children) {
    return {std::move(key), std::move(children), nullptr, nullptr};
}

const Field& schema() {
    static const Field root = section(
        "",
        {section("dataset", {choice("name", at(&Config::dataset, &DatasetConfig::name),
                                    {"mnist", "fashion-mnist"}),
                             text("dir", at(&Config::dataset, &DatasetConfig::dir), true),
                             flag("normalize", at(&Config::dataset, &DatasetConfig::normalize)),
                             flag("flatten", at(&Config::dataset, &DatasetConfig::flatten)),
                             flag("one_hot", at(&Config::dataset, &DatasetConfig::one_hot))}),
         section(
             "model",
             {sizes("hidden_sizes", at(&Config::model, &ModelConfig::hidden_sizes)),
              choice("activation", at(&Config::model, &ModelConfig::activation),
                     {"sigmoid", "relu"}),
              choice("init", at(&Config::model, &ModelConfig::init), {"normal", "he", "xavier"}),
              real("weight_init_std", at(&Config::model, &ModelConfig::weight_init_std), kPositive),
              choice("dtype", at(&Config::model, &ModelConfig::dtype), {"float32", "float64"})}),
         choice("loss", at(&Config::loss), {"cross_entropy", "sum_squares"}),
         choice("gradient", at(&Config::gradient), {"backprop", "numerical"}),
         section(
             "optimizer",
             {choice("name", at(&Config::optimizer, &OptimizerConfig::name),
                     {"sgd", "momentum", "adam"}),
              real("learning_rate", at(&Config::optimizer, &OptimizerConfig::learning_rate),
                   kPositive),
              real("momentum", at(&Config::optimizer, &OptimizerConfig::momentum), kUnitInterval),
              real("beta1", at(&Config::optimizer, &OptimizerConfig::beta1), kUnitInterval),
              real("beta2", at(&Config::optimizer, &OptimizerConfig::beta2), kUnitInterval)}),
         section("training",
                 {optional_count("iterations", at(&Config::training, &TrainingConfig::iterations)),
                  optional_count("epochs", at(&Config::training, &TrainingConfig::epochs)),
                  count("batch_size", at(&Config::training, &TrainingConfig::batch_size), 1),
                  choice("sampling", at(&Config::training, &TrainingConfig::sampling),
                         {"with_replacement", "shuffle"}),
                  seed("seed", at(&Config::training, &TrainingConfig::seed)),
                  optional_count("eval_every", at(&Config::training, &TrainingConfig::eval_every)),
                  choice("loss_log", at(&Config::training, &TrainingConfig::loss_log),
                         {"forward", "after_update"})}),
         section("logging", {count("every", at(&Config::logging, &LoggingConfig::every), 1),
                             flag("quiet", at(&Config::logging, &LoggingConfig::quiet))}),
         section("output", {text("dir", at(&Config::output, &OutputConfig::dir), false),
                            count("checkpoint_every",
                                  at(&Config::output, &OutputConfig::checkpoint_every), 0),
                            flag("plots", at(&Config::output, &OutputConfig::plots))})});
    return root;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The pointers of the sections that do have `key`, for a key put at the wrong level.
void homes_of(const Field& f, const std::string& pointer, const std::string& key,
              std::vector<std::string>& homes) {
    for (const auto& c : f.children) {
        if (!c.is_section()) continue;
        const std::string p = child_pointer(pointer, c.key);
        if (c.find(key)) homes.push_back(p);
        homes_of(c, p, key, homes);
    }
}

std::string unknown_key_message(const Field& parent, const std::string& parent_pointer,
                                const std::string& key) {
    if (!parent.is_section())
        return "unknown key; " + parent_pointer + " is a value, not an object with keys";
    std::vector<std::string> keys;
    const std::string* best = nullptr;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto& f : parent.children) {
        keys.push_back(f.key);
        const std::size_t d = edit_distance(key, f.key);
        if (d < best_distance) best = &f.key, best_distance = d;
    }
    if (best_distance <= std::max<std::size_t>(2, key.size() / 3))
        return "unknown key; did you mean \"" + *best + "\"?";
    std::vector<std::string> homes;
    homes_of(schema(), "", key, homes);
    if (!homes.empty()) {
        std::string where;
        for (const auto& h : homes) where += (where.empty() ? "" : " or ") + h;
        return "unknown key here; \"" + key + "\" belongs in " + where;
    }
    return "unknown key; expected one of " + quoted_list(keys);
}

void read_section(const Field& section, const json& j, const std::string& pointer,
                  const Problems& problems, Config& c) {
    if (!j.is_object()) problems.fail(pointer, "expected an object, found " + shown(j));
    for (const auto& item : j.items())
        if (!section.find(item.key()))
            problems.fail(child_pointer(pointer, item.key()),
                          unknown_key_message(section, pointer, item.key()));
    for (const auto& f : section.children) {
        const auto it = j.find(f.key);
        if (it == j.end()) continue;
        const std::string p = child_pointer(pointer, f.key);
        if (f.is_section())
            read_section(f, *it, p, problems, c);
        else
            f.read(Node{*it, p, problems}, c);
    }
}

Config parse_document(const json& j, const Problems& problems) {
    Config c;
    read_section(schema(), j, "", problems, c);
    auto& t = c.training;
    if (t.iterations && t.epochs)
        problems.fail("/training", "expected one of \"iterations\" and \"epochs\", found both (" +
                                       std::to_string(*t.iterations) + " iterations, " +
                                       std::to_string(*t.epochs) + " epochs)");
    if (!t.iterations && !t.epochs) t.iterations = kDefaultIterations;
    // The book's load_mnist(flatten=False) keeps 1x28x28 images for its chapter-7 CNN; every
    // network here starts with a fully connected layer, which takes flat vectors.
    if (!c.dataset.flatten)
        problems.fail("/dataset/flatten",
                      "expected true (the fully connected network takes each image as one flat "
                      "vector; false is the book's layout for convolutional networks), found false");
    return c;
}

json write_section(const Field& section, const Config& c) {
    json j = json::object();
    for (const auto& f : section.children)
        j[f.key] = f.is_section() ? write_section(f, c) : f.write(c);
    return j;
}

// nlohmann keeps the last of two equal keys without a word; in a config that is a mistake
// (two "learning_rate"s), so the parser callback reports it.
class DuplicateKeyCheck {
public:
    explicit DuplicateKeyCheck(const std::string& source) : source_(source) {}

    bool operator()(int, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                stack_.push_back({false, 0, {}, {}});
                break;
            case json::parse_event_t::array_start:
                stack_.push_back({true, 0, {}, {}});
                break;
            case json::parse_event_t::key: {
                auto& top = stack_.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second)
                    fail_at(source_, "", pointer(), "duplicate key; each key may appear only once");
                break;
            }
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                stack_.pop_back();
                element_done();
                break;
            case json::parse_event_t::value:
                element_done();
                break;
        }
        return true;
    }

private:
    struct Level {
        bool array;
        std::size_t index;
        std::set<std::string> keys;
        std::string key;
    };

    void element_done() {
        if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
    }

    std::string pointer() const {
        std::string p;
        for (const auto& l : stack_)
            p = child_pointer(p, l.array ? std::to_string(l.index) : l.key);
        return p;
    }

    std::string source_;
    std::vector<Level> stack_;
};

// nlohmann's message without its "[json.exception.parse_error.101] " tag; the rest is for the user.
std::string without_exception_tag(std::string what) {
    if (const auto end = what.find("] ");
        what.rfind("[json.exception.", 0) == 0 && end != std::string::npos)
        what.erase(0, end + 2);
    return what;
}

json parse_json_text(const std::string& text, const std::string& source) {
    DuplicateKeyCheck check(source);
    try {
        return json::parse(text, std::ref(check));
    } catch (const json::parse_error& e) {
        throw Error(source + ": invalid JSON at byte " + std::to_string(e.byte) + ": " +
                    without_exception_tag(e.what()));
    } catch (const json::out_of_range& e) {
        // A number too large for a double (1e400): nlohmann reports it without a position.
        throw Error(source + ": invalid JSON: " + without_exception_tag(e.what()));
    }
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(path + ": cannot read a directory, expected a JSON config file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open: " + std::generic_category().message(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw Error(path + ": cannot read: " + std::generic_category().message(errno));
    return text.str();
}

std::vector<std::string> split(const std::string& s, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t end; (end = s.find(separator, start)) != std::string::npos; start = end + 1)
        parts.push_back(s.substr(start, end - start));
    parts.push_back(s.substr(start));
    return parts;
}

// Puts one `--set key.path=value` into `doc` and returns the JSON pointer it set.
std::string apply_override(json& doc, const std::string& override_text, const std::string& source) {
    const std::string origin = "--set " + override_text;
    const auto eq = override_text.find('=');
    if (eq == std::string::npos)
        fail_at(source, origin, "",
                "expected key.path=value (e.g. training.seed=3), found no \"=\"");
    const auto path = split(override_text.substr(0, eq), '.');
    const std::string value_text = override_text.substr(eq + 1);

    const Field* field = &schema();
    json* target = &doc;
    std::string pointer;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string parent_pointer = pointer;
        pointer = child_pointer(pointer, path[i]);
        const Field* next = field->find(path[i]);
        if (!next)
            fail_at(source, origin, pointer, unknown_key_message(*field, parent_pointer, path[i]));
        field = next;
        if (field->is_section()) {
            json& sub = (*target)[path[i]];
            if (sub.is_null()) sub = json::object();
            if (!sub.is_object())
                fail_at(source, "", pointer, "expected an object, found " + shown(sub));
            target = &sub;
        } else if (i + 1 == path.size()) {
            json value = json::parse(value_text, nullptr, false);
            (*target)[path[i]] = value.is_discarded() ? json(value_text) : std::move(value);
        }
    }
    if (field->is_section()) {
        std::vector<std::string> keys;
        for (const auto& f : field->children) keys.push_back(f.key);
        fail_at(source, origin, pointer,
                "expected a key of this section, one of " + quoted_list(keys));
    }
    return pointer;
}

auto fields_of(const DatasetConfig& s) {
    return std::tie(s.name, s.dir, s.normalize, s.flatten, s.one_hot);
}
auto fields_of(const ModelConfig& s) {
    return std::tie(s.hidden_sizes, s.activation, s.init, s.weight_init_std, s.dtype);
}
auto fields_of(const OptimizerConfig& s) {
    return std::tie(s.name, s.learning_rate, s.momentum, s.beta1, s.beta2);
}
auto fields_of(const TrainingConfig& s) {
    return std::tie(s.iterations, s.epochs, s.batch_size, s.sampling, s.seed, s.eval_every,
                    s.loss_log);
}
auto fields_of(const LoggingConfig& s) {
    return std::tie(s.every, s.quiet);
}
auto fields_of(const OutputConfig& s) {
    return std::tie(s.dir, s.checkpoint_every, s.plots);
}

}  // namespace

Config parse_config(const nlohmann::json& j, const std::string& source) {
    return parse_document(j, Problems(source, {}));
}

Config load_config(const std::string& path, const std::vector<std::string>& overrides) {
    json doc = parse_json_text(read_file(path), path);
    if (!doc.is_object()) fail_at(path, "", "", "expected an object, found " + shown(doc));

    std::map<std::string, std::string> origins;
    for (const auto& o : overrides) origins[apply_override(doc, o, path)] = "--set " + o;

    // The run length named on the command line replaces the one in the file, so
    // `--set training.epochs=3` works on a config that gives iterations.
    if (const auto t = doc.find("training"); t != doc.end() && t->is_object()) {
        const std::pair<std::string, std::string> pairs[] = {{"iterations", "epochs"},
                                                             {"epochs", "iterations"}};
        for (const auto& [given, other] : pairs) {
            const auto g = t->find(given);
            if (g != t->end() && !g->is_null() && origins.count("/training/" + given) &&
                !origins.count("/training/" + other))
                t->erase(other);
        }
    }

    return parse_document(doc, Problems(path, std::move(origins)));
}

nlohmann::json to_json(const Config& c) {
    return write_section(schema(), c);
}

void validate_against_dataset(const Config& c, std::size_t train_size, const std::string& source) {
    if (c.training.batch_size > train_size)
        fail_at(source, "", "/training/batch_size",
                "expected an integer from 1 to " + std::to_string(train_size) +
                    " (the size of the train set), found " + std::to_string(c.training.batch_size));
}

bool operator==(const Config& a, const Config& b) {
    return fields_of(a.dataset) == fields_of(b.dataset) &&
           fields_of(a.model) == fields_of(b.model) && a.loss == b.loss &&
           a.gradient == b.gradient && fields_of(a.optimizer) == fields_of(b.optimizer) &&
           fields_of(a.training) == fields_of(b.training) &&
           fields_of(a.logging) == fields_of(b.logging) &&
           fields_of(a.output) == fields_of(b.output);
}

bool operator!=(const Config& a, const Config& b) {
    return !(a == b);
}

}  // namespace mm
