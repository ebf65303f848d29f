#include <mnist_minibatch/csv_appender.hpp>
#include <mnist_minibatch/error.hpp>

#include <cerrno>
#include <cstring>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace mm {

CsvAppender::CsvAppender(std::string path, std::FILE* file, std::uint64_t bytes)
    : path_(std::move(path)), file_(file), bytes_(bytes) {}

CsvAppender::CsvAppender(CsvAppender&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, nullptr)),
      bytes_(other.bytes_) {}

CsvAppender::~CsvAppender() {
    if (file_) std::fclose(file_);
}

CsvAppender CsvAppender::create(const std::string& path, const std::string& header) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw Error("cannot create log '" + path + "': " + std::strerror(errno));
    CsvAppender log(path, f, 0);
    log.append_line(header);
    return log;
}

CsvAppender CsvAppender::resume(const std::string& path, std::uint64_t bytes) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot resume log '" + path + "': " + std::strerror(errno));
    if (static_cast<std::uint64_t>(st.st_size) < bytes)
        throw Error("cannot resume log '" + path + "': the checkpoint expects at least " +
                    std::to_string(bytes) + " bytes, the file has " +
                    std::to_string(st.st_size));
    // Lines written after the checkpoint belong to iterations that will run again.
    if (::truncate(path.c_str(), static_cast<off_t>(bytes)) != 0)
        throw Error("cannot cut log '" + path + "' back to the checkpoint: " +
                    std::strerror(errno));
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (!f) throw Error("cannot open log '" + path + "': " + std::strerror(errno));
    return CsvAppender(path, f, bytes);
}

void CsvAppender::append_line(const std::string& line) {
    const std::string text = line + "\n";
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
        std::fflush(file_) != 0) {
        const std::string reason = std::strerror(errno);
        // Leave no partial line behind: the log stays a whole number of lines.
        std::clearerr(file_);
        if (::ftruncate(fileno(file_), static_cast<off_t>(bytes_)) != 0) {}
        throw Error("cannot write log '" + path_ + "': " + reason);
    }
    bytes_ += text.size();
}

}  // namespace mm
