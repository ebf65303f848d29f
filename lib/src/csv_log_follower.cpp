#include <mnist_minibatch/csv_log_follower.hpp>

#include <filesystem>
#include <fstream>

namespace mm {

CsvLogFollower::CsvLogFollower(std::string path, std::vector<std::string> required_columns)
    : path_(std::move(path)), columns_(std::move(required_columns)), parser_(path_, columns_) {}

bool CsvLogFollower::poll() {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path_, ec);
    exists_ = !ec;
    if (ec) return false;
    if (size < offset_) {
        parser_ = CsvLogParser(path_, columns_);
        pending_.clear();
        offset_ = 0;
    }
    if (size == offset_) return false;
    std::ifstream in(path_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk(static_cast<std::size_t>(size - offset_), '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    offset_ += chunk.size();
    pending_ += chunk;
    const std::size_t rows_before = parser_.log().rows();
    pending_.erase(0, parser_.feed(pending_));
    return parser_.log().rows() != rows_before;
}

}  // namespace mm
