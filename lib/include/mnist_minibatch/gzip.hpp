#pragma once
// Reading a file's content with gzip decompressed transparently (detected from the magic bytes
// 1F 8B, never from the name), and writing gzip. Both use zlib. Every problem is an mm::Error
// naming the file and the byte offset in it.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// True when `data` starts with the gzip magic 1F 8B.
bool has_gzip_magic(const unsigned char* data, std::size_t size);

// The deflate format cannot expand data by more than about 1032:1, so a gzip file of n bytes
// holds at most this many bytes of content: an upper bound to check a header against before
// allocating.
std::uint64_t max_gzip_content_size(std::uint64_t compressed_size);

// Sequential reader of a file's content: the bytes themselves for a plain file, the
// decompressed bytes (all gzip members, as `gzip -dc`) for a gzip file.
class ContentReader {
public:
    explicit ContentReader(const std::string& path);
    ~ContentReader();
    ContentReader(const ContentReader&) = delete;
    ContentReader& operator=(const ContentReader&) = delete;

    // Reads up to `size` bytes into `out`; fewer only at the end of the content.
    std::size_t read(void* out, std::size_t size);

    const std::string& path() const { return path_; }
    bool is_gzip() const { return gzip_; }
    std::uint64_t file_size() const { return file_size_; }
    // Bytes of content delivered so far (the offset in the decompressed stream).
    std::uint64_t offset() const { return offset_; }
    // Largest content the file can hold: its size if plain, max_gzip_content_size() if gzip.
    std::uint64_t max_content_size() const;

private:
    std::size_t read_gzip(unsigned char* out, std::size_t size);
    bool refill();
    [[noreturn]] void fail_gzip(const std::string& what) const;

    std::string path_;
    std::FILE* file_ = nullptr;
    std::uint64_t file_size_ = 0;
    std::uint64_t offset_ = 0;
    bool gzip_ = false;
    bool stream_ended_ = false;  // the last gzip member is complete and no input follows
    std::uint64_t compressed_consumed_ = 0;  // input bytes handed to zlib before the buffer
    z_stream zs_{};
    std::vector<unsigned char> in_;
};

// The gzip encoding (one member, no file name) of `content`.
std::string gzip_compress(std::string_view content, int level = Z_DEFAULT_COMPRESSION);

}  // namespace mm
