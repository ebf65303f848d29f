#pragma once
// Follows a CSV log that another process appends to (possibly over a shared folder): each poll
// reads only the bytes added since the last one and parses the complete lines among them.
#include <mnist_minibatch/csv_log.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mm {

class CsvLogFollower {
public:
    CsvLogFollower(std::string path, std::vector<std::string> required_columns);

    // Reads what was appended; true when new rows arrived. A file that got shorter (a run started
    // again in the same directory) is read again from its start. A missing file is no error.
    bool poll();
    const CsvLog& log() const { return parser_.log(); }
    bool exists() const { return exists_; }

private:
    std::string path_;
    std::vector<std::string> columns_;
    CsvLogParser parser_;
    std::string pending_;  // an unfinished last line
    std::uintmax_t offset_ = 0;
    bool exists_ = false;
};

}  // namespace mm
