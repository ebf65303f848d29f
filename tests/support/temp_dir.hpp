#pragma once
// A fresh directory under the system temp folder, removed with everything in it at scope exit,
// and the small file helpers the tests share. No test writes into the source tree.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace mm::test {

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("mnist-minibatch-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path() const { return path_.string(); }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Writes `contents` to the file `name` in this directory and returns its path.
    std::string write(const std::string& name, const std::string& contents) const {
        const std::string p = file(name);
        write_text(p, contents);
        return p;
    }

private:
    std::filesystem::path path_;
};

}  // namespace mm::test
