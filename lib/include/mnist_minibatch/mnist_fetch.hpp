#pragma once
// Getting the four files of an MNIST-format dataset into a folder: downloaded from mirrors tried
// in order (curl, else wget; file:// URLs work too) or copied from a local folder. A file counts
// only when the SHA-256 of its uncompressed content matches datasets/SHA256SUMS (mirrors
// recompress, so an archive checksum would reject good files). Files are written atomically and
// files already verified are skipped.
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace mm {

struct FetchOptions {
    std::string dataset = "mnist";      // "mnist" | "fashion-mnist"
    std::string dir;                    // destination folder, created when missing
    std::string from;                   // when set: copy from this folder, no download
    std::vector<std::string> mirrors;   // base URLs; empty: default_mirrors(dataset)
    // Content SHA-256 per standard file name; empty: expected_content_sha256(dataset, name).
    std::map<std::string, std::string> checksums;
};

std::vector<std::string> default_mirrors(const std::string& dataset);

// Logs one line per file to `log`; throws mm::Error naming every source tried when a file
// could not be obtained.
void fetch_dataset(const FetchOptions& options, std::ostream& log);

}  // namespace mm
