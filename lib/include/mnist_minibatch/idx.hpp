#pragma once
// The IDX format of MNIST: magic 00 00 <type> <ndim>, ndim big-endian uint32 sizes, then the
// elements in C order, big-endian. Files may be plain or gzip (detected from the content).
// Every malformed file is one mm::Error naming the file, the byte offset, what was expected and
// what was found; a header is checked against what the file can hold before anything is
// allocated.
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace mm {

enum class IdxType : std::uint8_t {
    uint8 = 0x08,
    int8 = 0x09,
    int16 = 0x0B,
    int32 = 0x0C,
    float32 = 0x0D,
    float64 = 0x0E,
};

std::size_t idx_element_size(IdxType type);
// "uint8 (0x08)" and so on.
std::string idx_type_name(IdxType type);
// Swaps `count` elements in place between the file's big-endian order and native order (the
// same operation both ways; nothing to do on a big-endian machine).
void swap_idx_byte_order(void* data, std::size_t count, IdxType type);

template <class T> struct IdxTypeOf;
template <> struct IdxTypeOf<std::uint8_t> { static constexpr IdxType value = IdxType::uint8; };
template <> struct IdxTypeOf<std::int8_t> { static constexpr IdxType value = IdxType::int8; };
template <> struct IdxTypeOf<std::int16_t> { static constexpr IdxType value = IdxType::int16; };
template <> struct IdxTypeOf<std::int32_t> { static constexpr IdxType value = IdxType::int32; };
template <> struct IdxTypeOf<float> { static constexpr IdxType value = IdxType::float32; };
template <> struct IdxTypeOf<double> { static constexpr IdxType value = IdxType::float64; };

struct IdxHeader {
    IdxType type = IdxType::uint8;
    std::vector<std::size_t> shape;

    std::size_t header_bytes() const { return 4 + 4 * shape.size(); }
    std::size_t element_count() const;
    std::size_t payload_bytes() const { return element_count() * idx_element_size(type); }
    std::string describe() const;  // "uint8 (0x08) 60000x28x28"
};

// Sees every byte of the (decompressed) content as it is read: lets a caller checksum a file in
// the same pass that loads it.
using ContentObserver = std::function<void(const unsigned char* data, std::size_t size)>;

using IdxArray = std::variant<xt::xarray<std::uint8_t>, xt::xarray<std::int8_t>,
                              xt::xarray<std::int16_t>, xt::xarray<std::int32_t>,
                              xt::xarray<float>, xt::xarray<double>>;

class ContentReader;

// One IDX file being read: the header is parsed and checked on construction, the payload is
// read (in native byte order) by read_payload, which also rejects trailing bytes.
class IdxStream {
public:
    explicit IdxStream(const std::string& path, ContentObserver observer = {});
    ~IdxStream();
    IdxStream(const IdxStream&) = delete;
    IdxStream& operator=(const IdxStream&) = delete;

    const IdxHeader& header() const { return header_; }
    // Throws unless the file holds `type` elements in `ndim` dimensions.
    void expect(IdxType type, std::size_t ndim) const;
    // Fills `out` (header().payload_bytes() bytes) and reads to the end of the content.
    void read_payload(void* out);
    // expect(T, N), then the payload as a tensor.
    template <class T, std::size_t N>
    xt::xtensor<T, N> read_tensor() {
        expect(IdxTypeOf<T>::value, N);
        std::array<std::size_t, N> shape{};
        std::copy(header_.shape.begin(), header_.shape.end(), shape.begin());
        xt::xtensor<T, N> result(shape);
        read_payload(result.data());
        return result;
    }
    // "'path'" or "'path' (gzip content)", for messages.
    std::string where(std::uint64_t offset) const;

private:
    std::unique_ptr<ContentReader> in_;
    ContentObserver observer_;
    IdxHeader header_;
};

// The header alone (cheap: reads only the first bytes).
IdxHeader read_idx_header(const std::string& path);

// Any IDX file, as an xarray of its element type.
IdxArray read_idx(const std::string& path, const ContentObserver& observer = {});

// An IDX file that must hold T elements in N dimensions.
template <class T, std::size_t N>
xt::xtensor<T, N> read_idx_tensor(const std::string& path, const ContentObserver& observer = {}) {
    return IdxStream(path, observer).read_tensor<T, N>();
}

enum class IdxCompression { none, gzip };

// The bytes of an IDX file holding `data` (native order, C order) with that type and shape.
// Throws mm::Error for what the format cannot hold (no or more than 255 dimensions, a size of 0
// or above 2^32-1).
std::string encode_idx(IdxType type, const std::vector<std::size_t>& shape, const void* data);

// Writes an IDX file atomically, gzip-compressed when asked.
void write_idx(const std::string& path, IdxType type, const std::vector<std::size_t>& shape,
               const void* data, IdxCompression compression = IdxCompression::none);
void write_idx(const std::string& path, const IdxArray& array,
               IdxCompression compression = IdxCompression::none);

template <class E>
void write_idx(const std::string& path, const xt::xexpression<E>& expression,
               IdxCompression compression = IdxCompression::none) {
    using T = typename E::value_type;
    const xt::xarray<T> values = expression.derived_cast();
    write_idx(path, IdxTypeOf<T>::value,
              std::vector<std::size_t>(values.shape().begin(), values.shape().end()),
              values.data(), compression);
}

}  // namespace mm
