#pragma once
// Floating-point arrays stored as text without losing a bit: the little-endian IEEE bytes in hex.
// Model files and checkpoints use it, so a save/load round trip is bit-exact.
#include <cstddef>
#include <string>
#include <string_view>

namespace mm {

template <class T>
std::string to_hex(const T* values, std::size_t count);

// Fills values[0..count) from `hex`; throws mm::Error naming `what` when the length or a digit is
// wrong.
template <class T>
void from_hex(std::string_view hex, T* values, std::size_t count, const std::string& what);

}  // namespace mm
