#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/idx.hpp>

#include <algorithm>
#include <cstdio>

namespace mm {

std::size_t idx_element_size(IdxType type) {
    switch (type) {
        case IdxType::uint8:
        case IdxType::int8: return 1;
        case IdxType::int16: return 2;
        case IdxType::int32:
        case IdxType::float32: return 4;
        case IdxType::float64: return 8;
    }
    throw Error("invalid IDX element type " + std::to_string(static_cast<int>(type)));
}

std::string idx_type_name(IdxType type) {
    const char* name = "unknown";
    switch (type) {
        case IdxType::uint8: name = "uint8"; break;
        case IdxType::int8: name = "int8"; break;
        case IdxType::int16: name = "int16"; break;
        case IdxType::int32: name = "int32"; break;
        case IdxType::float32: name = "float32"; break;
        case IdxType::float64: name = "float64"; break;
    }
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(type));
    return std::string(name) + " (" + code + ")";
}

void swap_idx_byte_order(void* data, std::size_t count, IdxType type) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const std::size_t size = idx_element_size(type);
    if (size == 1) return;
    auto* bytes = static_cast<unsigned char*>(data);
    for (std::size_t i = 0; i < count; ++i) std::reverse(bytes + i * size, bytes + (i + 1) * size);
#else
    (void)data, (void)count, (void)type;
#endif
}

std::size_t IdxHeader::element_count() const {
    std::size_t count = 1;
    for (const std::size_t d : shape) count *= d;
    return count;
}

std::string IdxHeader::describe() const {
    std::string dims;
    for (const std::size_t d : shape) dims += (dims.empty() ? "" : "x") + std::to_string(d);
    return idx_type_name(type) + " " + dims;
}

}  // namespace mm
