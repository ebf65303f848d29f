#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace mm {
namespace {

// Shows untrusted bytes inside an error message: printable ASCII as is, the rest as \xNN, cut
// after a few dozen characters so one bad line cannot flood the terminal.
std::string quote_found(std::string_view s) {
    constexpr std::size_t max_shown = 40;
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < max_shown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out += s.size() > max_shown ? "'..." : "'";
    return out;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) {
            fields.push_back(line.substr(start));
            return fields;
        }
        fields.push_back(line.substr(start, comma - start));
        start = comma + 1;
    }
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
}

}  // namespace

const std::vector<std::string>& loss_log_columns() {
    static const std::vector<std::string> columns{"iteration", "epoch",         "cee",
                                                  "sse",       "learning_rate", "elapsed_s"};
    return columns;
}

const std::vector<std::string>& epoch_log_columns() {
    static const std::vector<std::string> columns{
        "iteration", "epoch",     "train_loss",    "train_accuracy",
        "train_correct", "test_loss", "test_accuracy", "test_correct"};
    return columns;
}

const std::vector<double>& CsvLog::column(std::string_view name) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end())
        throw Error("log has no column '" + std::string(name) + "' (columns: " + join(columns) +
                    ")");
    return values[static_cast<std::size_t>(it - columns.begin())];
}

CsvLogParser::CsvLogParser(std::string source, std::vector<std::string> required_columns)
    : source_(std::move(source)), required_(std::move(required_columns)) {}

std::size_t CsvLogParser::feed(std::string_view bytes) {
    std::size_t used = 0;
    for (;;) {
        const std::size_t newline = bytes.find('\n', used);
        if (newline == std::string_view::npos) return used;
        std::string_view line = bytes.substr(used, newline - used);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++line_;
        if (has_header())
            parse_row(line);
        else
            parse_header(line);
        used = newline + 1;
    }
}

void CsvLogParser::parse_header(std::string_view line) {
    std::vector<std::string> names;
    for (auto field : split_fields(line)) {
        if (field.empty() || std::find(names.begin(), names.end(), field) != names.end())
            throw Error(source_ + ":" + std::to_string(line_) + ": expected a header of distinct " +
                        "column names like '" + join(required_) + "', found " + quote_found(line));
        names.emplace_back(field);
    }
    for (const auto& r : required_)
        if (std::find(names.begin(), names.end(), r) == names.end())
            throw Error(source_ + ":" + std::to_string(line_) + ": header has no column '" + r +
                        "': expected '" + join(required_) + "', found " + quote_found(line));
    log_.values.assign(names.size(), {});
    log_.columns = std::move(names);
}

void CsvLogParser::parse_row(std::string_view line) {
    const auto fields = split_fields(line);
    if (fields.size() != log_.columns.size())
        throw Error(source_ + ":" + std::to_string(line_) + ": expected " +
                    std::to_string(log_.columns.size()) + " comma-separated fields (" +
                    join(log_.columns) + "), found " + std::to_string(fields.size()) + ": " +
                    quote_found(line));
    for (std::size_t c = 0; c < fields.size(); ++c) {
        const std::string_view f = fields[c];
        double v = 0;
        const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
        // Out-of-range decimals (1e999, 1e-999) are valid numbers that overflow to inf or underflow
        // towards 0; from_chars leaves `v` untouched for them, strtod gives the IEEE result.
        const bool whole = end == f.data() + f.size() && !f.empty();
        if (!whole || (ec != std::errc() && ec != std::errc::result_out_of_range))
            throw Error(source_ + ":" + std::to_string(line_) + ": field " +
                        std::to_string(c + 1) + " (" + log_.columns[c] +
                        "): expected a number (or nan/inf), found " + quote_found(f));
        if (ec == std::errc::result_out_of_range) v = std::strtod(std::string(f).c_str(), nullptr);
        log_.values[c].push_back(v);
    }
}

CsvLog parse_csv_log(std::string_view text, const std::string& source,
                     const std::vector<std::string>& required_columns) {
    CsvLogParser parser(source, required_columns);
    parser.feed(text);
    CsvLog log = parser.log();
    if (!parser.has_header()) {
        log.columns = required_columns;
        log.values.assign(required_columns.size(), {});
    }
    return log;
}

CsvLog read_csv_log(const std::string& path, const std::vector<std::string>& required_columns) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error("cannot read '" + path + "': " + std::strerror(errno));
    return parse_csv_log(text, path, required_columns);
}

}  // namespace mm
