#pragma once
// Every output file is written to a temporary name in the same directory, flushed to disk and
// renamed over the final name, so a reader (or a crash) never sees a half-written file.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace mm {

// Writes `contents` to `path` atomically. Throws mm::Error naming the file on any failure
// (missing or read-only directory, full disk); the final name is then left untouched.
void write_file_atomically(const std::string& path, std::string_view contents);

// Streams into a temporary file through `write`, then renames it to `path`.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace mm
