#include <mnist_minibatch/numpy_random.hpp>

#include <mnist_minibatch/error.hpp>

#include "state_json.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace mm {
namespace {

constexpr std::size_t kShift = 397;  // MT19937's M
constexpr std::uint32_t kMatrixA = 0x9908b0dfu;
constexpr std::uint32_t kUpperMask = 0x80000000u;
constexpr std::uint32_t kLowerMask = 0x7fffffffu;

// The smallest 2^k - 1 >= max: numpy's mask for rejection sampling.
std::uint64_t mask_covering(std::uint64_t max) {
    std::uint64_t mask = max;
    for (unsigned shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
    return mask;
}

std::string hex_float(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%a", value);
    return buffer;
}

double parse_gauss(const nlohmann::json& value, const std::string& where) {
    const std::string expected = "a finite double (hex-float string, decimal string or number)";
    double parsed = 0.0;
    if (value.is_number()) {
        parsed = value.get<double>();
    } else if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        char* end = nullptr;
        errno = 0;
        parsed = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
            state_json::fail(where, "/gauss", expected, state_json::describe(value));
    } else {
        state_json::fail(where, "/gauss", expected, state_json::describe(value));
    }
    if (!std::isfinite(parsed)) state_json::fail(where, "/gauss", expected, state_json::describe(value));
    return parsed;
}

}  // namespace

NumpyRandom::NumpyRandom(std::uint32_t seed) { this->seed(seed); }

void NumpyRandom::seed(std::uint32_t s) {
    key_[0] = s;
    for (std::size_t i = 1; i < kWords; ++i)
        key_[i] = 1812433253u * (key_[i - 1] ^ (key_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    pos_ = kWords;
    has_gauss_ = false;
    gauss_ = 0.0;
    draws_ = 0;
}

void NumpyRandom::twist() {
    // Indices wrap modulo 624; in-order updates make this equal to the reference's split loops.
    for (std::size_t i = 0; i < kWords; ++i) {
        const std::uint32_t y = (key_[i] & kUpperMask) | (key_[(i + 1) % kWords] & kLowerMask);
        key_[i] = key_[(i + kShift) % kWords] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
    }
    pos_ = 0;
}

std::uint32_t NumpyRandom::raw() {
    if (pos_ >= kWords) twist();
    std::uint32_t y = key_[pos_++];
    ++draws_;
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

std::uint64_t NumpyRandom::raw64() {
    const std::uint64_t high = raw();
    return (high << 32) | raw();
}

double NumpyRandom::random_sample() {
    const std::uint32_t a = raw() >> 5;
    const std::uint32_t b = raw() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::standard_normal() {
    if (has_gauss_) {
        has_gauss_ = false;
        const double cached = gauss_;
        gauss_ = 0.0;
        return cached;
    }
    double x1 = 0.0, x2 = 0.0, r2 = 0.0;
    do {
        x1 = 2.0 * random_sample() - 1.0;
        x2 = 2.0 * random_sample() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
}

std::uint64_t NumpyRandom::masked_interval(std::uint64_t max) {
    if (max == 0) return 0;
    const std::uint64_t mask = mask_covering(max);
    std::uint64_t value = 0;
    if (max <= std::numeric_limits<std::uint32_t>::max()) {
        do value = raw() & mask; while (value > max);
    } else {
        do value = raw64() & mask; while (value > max);
    }
    return value;
}

std::int64_t NumpyRandom::randint(std::int64_t low, std::int64_t high) {
    if (high <= low)
        throw Error("randint(" + std::to_string(low) + ", " + std::to_string(high) +
                    "): expected low < high");
    // Two's-complement arithmetic in uint64 gives the exact range even for extreme bounds.
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) - 1;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + masked_interval(range));
}

void NumpyRandom::choice(std::size_t n, std::size_t size, std::size_t* out) {
    if (n == 0) {
        if (size == 0) return;
        throw Error("choice(0, " + std::to_string(size) +
                    "): expected a population of at least 1 when samples are taken");
    }
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::size_t>(masked_interval(n - 1));
}

std::vector<std::size_t> NumpyRandom::permutation(std::size_t n) {
    std::vector<std::size_t> values(n);
    std::iota(values.begin(), values.end(), std::size_t{0});
    shuffle(values.data(), n);
    return values;
}

void NumpyRandom::shuffle(std::size_t* data, std::size_t n) {
    for (std::size_t i = n; i-- > 1;) {
        const auto j = static_cast<std::size_t>(masked_interval(i));
        std::swap(data[i], data[j]);
    }
}

nlohmann::json NumpyRandom::state() const {
    return {{"bit_generator", "MT19937"},
            {"state", {{"key", key_}, {"pos", pos_}}},
            {"has_gauss", has_gauss_ ? 1 : 0},
            {"gauss", hex_float(gauss_)},
            {"raw_draws", draws_}};
}

void NumpyRandom::set_state(const nlohmann::json& state, const std::string& where) {
    using state_json::describe;
    using state_json::fail;
    state_json::require_object_with(state, {"bit_generator", "state", "has_gauss", "gauss", "raw_draws"},
                                    where, "");
    if (state["bit_generator"] != "MT19937")
        fail(where, "/bit_generator", "the string \"MT19937\"", describe(state["bit_generator"]));
    const auto& mt = state["state"];
    state_json::require_object_with(mt, {"key", "pos"}, where, "/state");
    const auto& key = mt["key"];
    if (!key.is_array() || key.size() != kWords)
        fail(where, "/state/key", "an array of 624 integers", describe(key));

    std::array<std::uint32_t, kWords> words{};
    for (std::size_t i = 0; i < kWords; ++i)
        words[i] = static_cast<std::uint32_t>(state_json::unsigned_in_range(
            key[i], std::numeric_limits<std::uint32_t>::max(), where, "/state/key/" + std::to_string(i)));
    // The twist reads only the top bit of word 0; if that and all other words are zero the
    // generator would output zeros forever (and randn would never return).
    bool degenerate = (words[0] & kUpperMask) == 0;
    for (std::size_t i = 1; i < kWords && degenerate; ++i) degenerate = words[i] == 0;
    if (degenerate)
        fail(where, "/state/key", "a non-degenerate MT19937 state",
             "all words zero (apart from the low 31 bits of word 0, which MT19937 ignores)");

    const auto pos = state_json::unsigned_in_range(mt["pos"], kWords, where, "/state/pos");
    const auto& has_gauss = state["has_gauss"];
    if (!(has_gauss.is_boolean() || (has_gauss.is_number_integer() && (has_gauss == 0 || has_gauss == 1))))
        fail(where, "/has_gauss", "0, 1, false or true", describe(has_gauss));
    const double gauss = parse_gauss(state["gauss"], where);
    const auto draws = state_json::unsigned_in_range(state["raw_draws"],
                                                     std::numeric_limits<std::uint64_t>::max(), where,
                                                     "/raw_draws");

    key_ = words;
    pos_ = static_cast<std::size_t>(pos);
    has_gauss_ = has_gauss.is_boolean() ? has_gauss.get<bool>() : has_gauss == 1;
    gauss_ = gauss;
    draws_ = draws;
}

std::uint32_t checked_seed(std::int64_t value, const std::string& what) {
    if (value < 0 || value > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))
        throw Error(what + ": expected a seed in [0, 4294967295] (as np.random.seed), found " +
                    std::to_string(value));
    return static_cast<std::uint32_t>(value);
}

std::uint32_t checked_seed(const nlohmann::json& value, const std::string& what) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::numeric_limits<std::uint32_t>::max())
        return static_cast<std::uint32_t>(value.get<std::uint64_t>());
    if (value.is_number_integer() && !value.is_number_unsigned())
        return checked_seed(value.get<std::int64_t>(), what);
    throw Error(what + ": expected a seed in [0, 4294967295] (as np.random.seed), found " +
                state_json::describe(value));
}

}  // namespace mm
