#pragma once
// Shared pieces of the fuzz targets: the readers under test take file names, so each input is
// written to a scratch file first; and a broken invariant must stop libFuzzer with a message.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace mm::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
    std::abort();
}

// One scratch file per process and name (parallel fuzzing jobs must not share it), removed at
// exit so that runs leave nothing behind.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& name)
        : path_((std::filesystem::temp_directory_path() /
                 ("mnist-minibatch-fuzz-" + std::to_string(::getpid()) + "-" + name))
                    .string()) {}
    ~ScratchFile() { std::remove(path_.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& write(std::string_view bytes) const {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) fail("cannot write the scratch file " + path_);
        return path_;
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

inline std::string_view bytes_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace mm::fuzz
