#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/exact_number_text.hpp>

#include <cstdint>
#include <cstring>

namespace mm {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

// The byte order is fixed to little-endian so files move between machines; x86-64 and arm64 are
// little-endian, so the bytes are copied as they are.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "exact_number_text assumes little-endian");

template <class T>
std::string to_hex(const T* values, std::size_t count) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(values);
    std::string out(count * sizeof(T) * 2, '0');
    for (std::size_t i = 0; i < count * sizeof(T); ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0xF];
    }
    return out;
}

template <class T>
void from_hex(std::string_view hex, T* values, std::size_t count, const std::string& what) {
    const std::size_t expected = count * sizeof(T) * 2;
    if (hex.size() != expected)
        throw Error(what + ": expected " + std::to_string(expected) + " hex digits (" +
                    std::to_string(count) + " values), found " + std::to_string(hex.size()));
    auto* bytes = reinterpret_cast<unsigned char*>(values);
    for (std::size_t i = 0; i < count * sizeof(T); ++i) {
        const int hi = digit_value(hex[2 * i]);
        const int lo = digit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            throw Error(what + ": expected a hex digit at character " +
                        std::to_string(hi < 0 ? 2 * i : 2 * i + 1) + ", found '" +
                        std::string(1, hi < 0 ? hex[2 * i] : hex[2 * i + 1]) + "'");
        bytes[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
}

template std::string to_hex<float>(const float*, std::size_t);
template std::string to_hex<double>(const double*, std::size_t);
template std::string to_hex<std::uint32_t>(const std::uint32_t*, std::size_t);
template void from_hex<float>(std::string_view, float*, std::size_t, const std::string&);
template void from_hex<double>(std::string_view, double*, std::size_t, const std::string&);
template void from_hex<std::uint32_t>(std::string_view, std::uint32_t*, std::size_t,
                                      const std::string&);

}  // namespace mm
