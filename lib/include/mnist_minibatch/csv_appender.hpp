#pragma once
// An append-only CSV log that is flushed line by line (so `tail -f` shows it live) and can be cut
// back to a byte position recorded in a checkpoint, so a resumed run continues the file exactly
// where the checkpoint left it.
#include <cstdint>
#include <cstdio>
#include <string>

namespace mm {

class CsvAppender {
public:
    // Creates `path` with `header` (truncating an old file).
    static CsvAppender create(const std::string& path, const std::string& header);
    // Opens an existing log and cuts it back to `bytes`; throws mm::Error when the file is
    // missing or shorter than `bytes`.
    static CsvAppender resume(const std::string& path, std::uint64_t bytes);

    CsvAppender(CsvAppender&& other) noexcept;
    CsvAppender& operator=(CsvAppender&&) = delete;
    CsvAppender(const CsvAppender&) = delete;
    ~CsvAppender();

    // Writes one line (a '\n' is added) and flushes it; throws mm::Error naming the file when the
    // disk refuses it.
    void append_line(const std::string& line);
    // Bytes written so far: the position a checkpoint records.
    std::uint64_t bytes() const { return bytes_; }
    const std::string& path() const { return path_; }

private:
    CsvAppender(std::string path, std::FILE* file, std::uint64_t bytes);
    std::string path_;
    std::FILE* file_;
    std::uint64_t bytes_;
};

}  // namespace mm
