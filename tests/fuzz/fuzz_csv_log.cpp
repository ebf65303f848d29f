// The training-log reader used by plot and watch, on any bytes. The first input byte picks the
// required columns (loss.csv's or epochs.csv's) and where the text is cut in two: a log read while
// it grows, fed in two pieces, must give exactly what reading it whole gives (or the same error).
#include "fuzz_support.hpp"

#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/error.hpp>

#include <cstring>
#include <optional>

namespace {

struct Outcome {
    std::optional<mm::CsvLog> log;
    std::string error;
};

Outcome whole(std::string_view text, const std::vector<std::string>& required) {
    try {
        return {mm::parse_csv_log(text, "fuzz.csv", required), {}};
    } catch (const mm::Error& e) {
        return {std::nullopt, e.what()};
    }
}

Outcome in_two_pieces(std::string_view text, std::size_t cut,
                      const std::vector<std::string>& required) {
    try {
        mm::CsvLogParser parser("fuzz.csv", required);
        const std::size_t used = parser.feed(text.substr(0, cut));
        parser.feed(text.substr(used));
        if (!parser.has_header())  // as parse_csv_log documents: the required columns, no rows
            return {mm::CsvLog{required, std::vector<std::vector<double>>(required.size())}, {}};
        return {parser.log(), {}};
    } catch (const mm::Error& e) {
        return {std::nullopt, e.what()};
    }
}

// Bit for bit, so that NaN equals NaN.
bool same_values(const std::vector<std::vector<double>>& a,
                 const std::vector<std::vector<double>>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t c = 0; c < a.size(); ++c)
        if (a[c].size() != b[c].size() ||
            (!a[c].empty() && std::memcmp(a[c].data(), b[c].data(), a[c].size() * sizeof(double))))
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& required = (data[0] & 1) ? mm::epoch_log_columns() : mm::loss_log_columns();
    const std::string_view text = mm::fuzz::bytes_of(data + 1, size - 1);
    const std::size_t cut = text.empty() ? 0 : (data[0] >> 1) % (text.size() + 1);

    const Outcome a = whole(text, required);
    const Outcome b = in_two_pieces(text, cut, required);
    if (a.error != b.error)
        mm::fuzz::fail("whole: '" + a.error + "', in two pieces: '" + b.error + "'");
    if (a.log && (a.log->columns != b.log->columns || !same_values(a.log->values, b.log->values)))
        mm::fuzz::fail("reading in two pieces gives a different log");
    if (a.log)
        for (const auto& name : required)
            if (a.log->column(name).size() != a.log->rows())
                mm::fuzz::fail("column " + name + " has a different length from the others");
    return 0;
}
