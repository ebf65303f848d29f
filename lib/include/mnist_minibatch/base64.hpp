#pragma once
// Standard base64 (RFC 4648, with padding), for embedding pictures in a self-contained HTML page
// as data: URLs.
#include <string>
#include <string_view>

namespace mm {

std::string base64_encode(std::string_view bytes);

}  // namespace mm
