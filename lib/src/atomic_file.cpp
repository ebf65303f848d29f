#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mm {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Writes all of `data` to `fd`, retrying short writes; false on error with errno set.
bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
    // mkstemps replaces the six template characters before the 4-character suffix.
    std::string tmp = path + "." + std::string(6, 'X') + ".tmp";
    const int fd = ::mkstemps(tmp.data(), 4);
    if (fd < 0)
        throw Error("cannot create a temporary file next to '" + path + "' in directory '" +
                    directory_of(path) + "': " + errno_text());
    const bool ok = write_all(fd, contents.data(), contents.size()) && ::fsync(fd) == 0;
    const std::string write_error = ok ? std::string() : errno_text();
    if (::close(fd) != 0 || !ok) {
        ::unlink(tmp.c_str());
        throw Error("cannot write '" + path + "': " + (ok ? errno_text() : write_error) +
                    " (the previous version of the file, if any, is untouched)");
    }
    if (::chmod(tmp.c_str(), 0644) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = errno_text();
        ::unlink(tmp.c_str());
        throw Error("cannot rename the temporary file onto '" + path + "': " + reason);
    }
    // The rename itself must reach the disk before we call the file written.
    const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
    std::ostringstream out;
    write(out);
    write_file_atomically(path, out.str());
}

}  // namespace mm
