#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace mm {
namespace {

// Payload is read and observed in pieces of this size so a checksum runs on bytes still in cache.
constexpr std::size_t kChunk = 1 << 20;

std::uint32_t big_endian_u32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

std::string hex_bytes(const unsigned char* p, std::size_t n) {
    std::string out;
    char b[4];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02X", p[i]);
        out += (i ? " " : "") + std::string(b);
    }
    return out;
}

bool is_known_type(unsigned char code) {
    switch (code) {
        case 0x08: case 0x09: case 0x0B: case 0x0C: case 0x0D: case 0x0E: return true;
        default: return false;
    }
}

bool starts_with(const unsigned char* p, std::size_t n, const char* prefix) {
    const std::size_t k = std::strlen(prefix);
    return n >= k && std::memcmp(p, prefix, k) == 0;
}

// Names the common ways a download goes wrong, from the first bytes where the magic should be.
std::string describe_wrong_magic(const unsigned char* p, std::size_t n, bool decompressed) {
    if (has_gzip_magic(p, n))
        return std::string("the gzip magic 1F 8B") +
               (decompressed ? " again: the file is gzip-compressed twice (decompress it once more)"
                             : ": a gzip file");
    if (starts_with(p, n, "PK\x03\x04")) return "a ZIP archive (PK 03 04): unzip it first";
    if (starts_with(p, n, "BZh")) return "a bzip2 file (BZh): decompress it with bunzip2 first";
    if (starts_with(p, n, "\xFD" "7zXZ")) return "an xz file (FD 37 7A 58 5A): decompress it with unxz first";
    std::size_t text = 0;
    while (text < n && (std::isprint(p[text]) || std::isspace(p[text]))) ++text;
    std::string preview;
    for (std::size_t i = 0; i < std::min<std::size_t>(text, 40); ++i)
        preview += std::isspace(p[i]) ? ' ' : static_cast<char>(p[i]);
    if (text == n || text >= 16) {
        std::size_t first = 0;
        while (first < text && std::isspace(p[first])) ++first;
        if (first < text && p[first] == '<')
            return "text '" + preview + "...': an HTML/XML page (an error page saved instead of "
                   "the data file?); download the file again";
        return "text '" + preview + "...': not an IDX file";
    }
    return "bytes " + hex_bytes(p, std::min<std::size_t>(n, 4));
}

template <class T>
IdxArray read_payload_as(IdxStream& stream) {
    auto values = xt::xarray<T>::from_shape(stream.header().shape);
    stream.read_payload(values.data());
    return values;
}

}  // namespace

IdxStream::IdxStream(const std::string& path, ContentObserver observer)
    : in_(std::make_unique<ContentReader>(path)), observer_(std::move(observer)) {
    const std::string magic_text = "the IDX magic 00 00 <type> <ndim>";
    if (in_->file_size() == 0)
        throw Error(where(0) + ": expected " + magic_text + ", found an empty file (0 bytes)");
    unsigned char magic[64];
    const std::size_t got = in_->read(magic, 4);
    if (got < 4)
        throw Error(where(got) + ": expected " + magic_text + ", found the end of the content after " +
                    std::to_string(got) + " byte(s)");
    if (magic[0] != 0 || magic[1] != 0) {
        const std::size_t more = in_->read(magic + 4, sizeof magic - 4);
        throw Error(where(0) + ": expected " + magic_text + ", found " +
                    describe_wrong_magic(magic, 4 + more, in_->is_gzip()));
    }
    if (!is_known_type(magic[2]))
        throw Error(where(2) + ": expected an element type code (0x08 uint8, 0x09 int8, 0x0B int16, "
                    "0x0C int32, 0x0D float32, 0x0E float64), found 0x" + hex_bytes(magic + 2, 1));
    const std::size_t ndim = magic[3];
    if (ndim == 0) throw Error(where(3) + ": expected at least 1 dimension, found 0");
    std::vector<unsigned char> sizes(4 * ndim);
    const std::size_t got_sizes = in_->read(sizes.data(), sizes.size());
    if (got_sizes < sizes.size())
        throw Error(where(4 + got_sizes) + ": expected " + std::to_string(ndim) +
                    " dimension sizes (4 bytes each, up to byte " + std::to_string(4 + sizes.size()) +
                    "), found the end of the content");
    if (observer_) {
        observer_(magic, 4);
        observer_(sizes.data(), sizes.size());
    }
    header_.type = static_cast<IdxType>(magic[2]);
    std::uint64_t bytes = idx_element_size(header_.type);
    std::string dims;
    for (std::size_t i = 0; i < ndim; ++i) {
        const std::uint32_t d = big_endian_u32(&sizes[4 * i]);
        if (d == 0)
            throw Error(where(4 + 4 * i) + ": expected dimension " + std::to_string(i) + " of " +
                        std::to_string(ndim) + " to be at least 1, found 0");
        header_.shape.push_back(d);
        dims += (i ? "x" : "") + std::to_string(d);
        if (__builtin_mul_overflow(bytes, std::uint64_t{d}, &bytes))
            throw Error(where(4) + ": expected a data size that fits in 64 bits, found dimensions " +
                        dims + "... of " + idx_type_name(header_.type) +
                        " whose byte count overflows");
    }
    const std::uint64_t available = in_->max_content_size() - header_.header_bytes();
    const std::size_t at = header_.header_bytes();
    if (bytes > available) {
        if (in_->is_gzip())
            throw Error(where(at) + ": the header declares " + header_.describe() + " = " +
                        std::to_string(bytes) + " bytes of data, but a gzip file of " +
                        std::to_string(in_->file_size()) + " bytes decompresses to at most " +
                        std::to_string(in_->max_content_size()) + " bytes (truncated file)");
        throw Error(where(at) + ": expected " + std::to_string(bytes) + " bytes of data (" +
                    header_.describe() + "), found only " + std::to_string(available) +
                    " bytes after the header (truncated file)");
    }
    if (!in_->is_gzip() && bytes < available)
        throw Error(where(at + bytes) + ": expected the end of the file after the " +
                    std::to_string(bytes) + " bytes of data the header declares (" +
                    header_.describe() + "), found " + std::to_string(available - bytes) +
                    " trailing bytes");
}

IdxStream::~IdxStream() = default;

std::string IdxStream::where(std::uint64_t offset) const {
    return "'" + in_->path() + "'" + (in_->is_gzip() ? " (decompressed content)" : "") +
           ": byte " + std::to_string(offset);
}

void IdxStream::expect(IdxType type, std::size_t ndim) const {
    if (header_.type != type)
        throw Error(where(2) + ": expected element type " + idx_type_name(type) + ", found " +
                    idx_type_name(header_.type));
    if (header_.shape.size() != ndim)
        throw Error(where(3) + ": expected " + std::to_string(ndim) + " dimension(s), found " +
                    std::to_string(header_.shape.size()) + " (" + header_.describe() + ")");
}

void IdxStream::read_payload(void* out) {
    auto* dst = static_cast<unsigned char*>(out);
    const std::size_t total = header_.payload_bytes();
    const std::size_t start = header_.header_bytes();
    for (std::size_t done = 0; done < total;) {
        const std::size_t want = std::min(kChunk, total - done);
        const std::size_t got = in_->read(dst + done, want);
        if (observer_) observer_(dst + done, got);
        done += got;
        if (got < want)
            throw Error(where(start + done) + ": expected " + std::to_string(total) +
                        " bytes of data (" + header_.describe() + "), found the end of the content "
                        "after " + std::to_string(done) + " (truncated file)");
    }
    // One byte more than declared is enough to know the content does not end where it should.
    unsigned char extra = 0;
    if (in_->read(&extra, 1) != 0)
        throw Error(where(start + total) + ": expected the end of the content after the " +
                    std::to_string(total) + " bytes of data the header declares (" +
                    header_.describe() + "), found trailing data");
    swap_idx_byte_order(dst, header_.element_count(), header_.type);
}

IdxHeader read_idx_header(const std::string& path) { return IdxStream(path).header(); }

IdxArray read_idx(const std::string& path, const ContentObserver& observer) {
    IdxStream stream(path, observer);
    switch (stream.header().type) {
        case IdxType::uint8: return read_payload_as<std::uint8_t>(stream);
        case IdxType::int8: return read_payload_as<std::int8_t>(stream);
        case IdxType::int16: return read_payload_as<std::int16_t>(stream);
        case IdxType::int32: return read_payload_as<std::int32_t>(stream);
        case IdxType::float32: return read_payload_as<float>(stream);
        case IdxType::float64: return read_payload_as<double>(stream);
    }
    throw Error("unreachable IDX type");
}

}  // namespace mm
