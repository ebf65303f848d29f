#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>

#include <cstring>
#include <limits>

namespace mm {

std::string encode_idx(IdxType type, const std::vector<std::size_t>& shape, const void* data) {
    if (shape.empty() || shape.size() > 255)
        throw Error("cannot encode IDX: expected 1 to 255 dimensions, found " +
                    std::to_string(shape.size()));
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] == 0 || shape[i] > std::numeric_limits<std::uint32_t>::max())
            throw Error("cannot encode IDX: expected dimension " + std::to_string(i) +
                        " between 1 and 4294967295, found " + std::to_string(shape[i]));
    IdxHeader header{type, shape};
    std::string out(header.header_bytes() + header.payload_bytes(), '\0');
    out[2] = static_cast<char>(type);
    out[3] = static_cast<char>(shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i)
        for (std::size_t b = 0; b < 4; ++b)
            out[4 + 4 * i + b] = static_cast<char>((shape[i] >> (8 * (3 - b))) & 0xFF);
    char* payload = out.data() + header.header_bytes();
    std::memcpy(payload, data, header.payload_bytes());
    swap_idx_byte_order(payload, header.element_count(), type);
    return out;
}

void write_idx(const std::string& path, IdxType type, const std::vector<std::size_t>& shape,
               const void* data, IdxCompression compression) {
    const std::string bytes = encode_idx(type, shape, data);
    write_file_atomically(path, compression == IdxCompression::gzip ? gzip_compress(bytes) : bytes);
}

void write_idx(const std::string& path, const IdxArray& array, IdxCompression compression) {
    std::visit([&](const auto& values) { write_idx(path, values, compression); }, array);
}

}  // namespace mm
