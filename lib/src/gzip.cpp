#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <limits>

#include <sys/stat.h>

namespace mm {
namespace {

constexpr std::size_t kBufferSize = 1 << 18;
// zlib counts in uInt; larger requests are served in pieces of this size.
constexpr std::size_t kMaxZlibChunk = 1u << 30;

std::string hex_byte(unsigned char b) {
    static const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

bool has_gzip_magic(const unsigned char* data, std::size_t size) {
    return size >= 2 && data[0] == 0x1F && data[1] == 0x8B;
}

std::uint64_t max_gzip_content_size(std::uint64_t compressed_size) {
    constexpr std::uint64_t kMaxDeflateRatio = 1032;
    if (compressed_size > std::numeric_limits<std::uint64_t>::max() / kMaxDeflateRatio)
        return std::numeric_limits<std::uint64_t>::max();
    return compressed_size * kMaxDeflateRatio;
}

ContentReader::ContentReader(const std::string& path) : path_(path), in_(kBufferSize) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error("'" + path + "': expected a file, found a directory");
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fileno(file_), &st) != 0) {
        const std::string reason = std::strerror(errno);
        std::fclose(file_);
        throw Error("cannot read the size of '" + path + "': " + reason);
    }
    file_size_ = static_cast<std::uint64_t>(st.st_size);
    // The first buffer decides the format: gzip magic or plain bytes.
    if (!refill()) {
        stream_ended_ = true;
        return;
    }
    gzip_ = has_gzip_magic(zs_.next_in, zs_.avail_in);
    if (gzip_ && inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) {
        std::fclose(file_);
        throw Error("'" + path + "': zlib could not start decompressing (out of memory)");
    }
}

ContentReader::~ContentReader() {
    if (gzip_) inflateEnd(&zs_);
    if (file_) std::fclose(file_);
}

std::uint64_t ContentReader::max_content_size() const {
    return gzip_ ? max_gzip_content_size(file_size_) : file_size_;
}

bool ContentReader::refill() {
    const std::size_t n = std::fread(in_.data(), 1, in_.size(), file_);
    if (n == 0 && std::ferror(file_))
        throw Error("cannot read '" + path_ + "' at byte " + std::to_string(compressed_consumed_) +
                    ": " + std::strerror(errno));
    zs_.next_in = in_.data();
    zs_.avail_in = static_cast<uInt>(n);
    compressed_consumed_ += n;
    return n > 0;
}

void ContentReader::fail_gzip(const std::string& what) const {
    const std::uint64_t at = compressed_consumed_ - zs_.avail_in;
    throw Error("'" + path_ + "': byte " + std::to_string(at) + " of the gzip file: " + what);
}

std::size_t ContentReader::read(void* out, std::size_t size) {
    auto* dst = static_cast<unsigned char*>(out);
    std::size_t produced = 0;
    if (gzip_) {
        while (produced < size) {
            const std::size_t n = read_gzip(dst + produced, std::min(size - produced, kMaxZlibChunk));
            if (n == 0) break;
            produced += n;
        }
    } else {
        // Bytes left over from the first buffer, then straight from the file.
        const std::size_t buffered = std::min<std::size_t>(zs_.avail_in, size);
        if (buffered > 0) std::memcpy(dst, zs_.next_in, buffered);
        zs_.next_in += buffered;
        zs_.avail_in -= static_cast<uInt>(buffered);
        produced = buffered;
        if (produced < size && !stream_ended_) {
            const std::size_t n = std::fread(dst + produced, 1, size - produced, file_);
            if (n < size - produced && std::ferror(file_))
                throw Error("cannot read '" + path_ + "' at byte " +
                            std::to_string(offset_ + produced + n) + ": " + std::strerror(errno));
            compressed_consumed_ += n;
            produced += n;
        }
    }
    offset_ += produced;
    return produced;
}

std::size_t ContentReader::read_gzip(unsigned char* out, std::size_t size) {
    zs_.next_out = out;
    zs_.avail_out = static_cast<uInt>(size);
    while (zs_.avail_out > 0 && !stream_ended_) {
        if (zs_.avail_in == 0 && !refill())
            fail_gzip("truncated gzip stream: expected more compressed data, found the end of the "
                      "file (" + std::to_string(file_size_) + " bytes)");
        const int ret = inflate(&zs_, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            // Another member may follow, as `gzip -dc` accepts (concatenated .gz files).
            if (zs_.avail_in == 0 && !refill()) {
                stream_ended_ = true;
                break;
            }
            if (zs_.next_in[0] != 0x1F)
                fail_gzip("expected the end of the file or another gzip member (1F 8B) after the "
                          "gzip stream, found trailing byte " + hex_byte(zs_.next_in[0]));
            inflateReset(&zs_);
        } else if (ret == Z_DATA_ERROR) {
            fail_gzip(std::string("corrupt gzip data: expected a valid deflate stream with a "
                                  "matching CRC-32 and length, found: ") +
                      (zs_.msg ? zs_.msg : "invalid data"));
        } else if (ret == Z_MEM_ERROR) {
            fail_gzip("zlib ran out of memory");
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            fail_gzip("zlib error " + std::to_string(ret));
        }
    }
    return size - zs_.avail_out;
}

std::string gzip_compress(std::string_view content, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error("zlib could not start compressing (bad level " + std::to_string(level) +
                    " or out of memory)");
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(content.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    std::size_t in_left = content.size();
    std::size_t out_left = out.size();
    int ret = Z_OK;
    while (ret == Z_OK || ret == Z_BUF_ERROR) {
        const std::size_t in_chunk = std::min(in_left, kMaxZlibChunk);
        const std::size_t out_chunk = std::min(out_left, kMaxZlibChunk);
        zs.avail_in = static_cast<uInt>(in_chunk);
        zs.avail_out = static_cast<uInt>(out_chunk);
        ret = deflate(&zs, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
        in_left -= in_chunk - zs.avail_in;
        out_left -= out_chunk - zs.avail_out;
        if (ret == Z_BUF_ERROR && out_left == 0) break;
    }
    deflateEnd(&zs);
    if (ret != Z_STREAM_END) throw Error("zlib failed to compress (error " + std::to_string(ret) + ")");
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace mm
