// Preloaded into mnist-train (LD_PRELOAD) by the fault tests to stop it at an exact moment that a
// timer could only hit by luck: inside the write of a checkpoint or model, or in the middle of a
// log line. Configured by the environment:
//   MM_FAULT_FILE    part of the path the fault is about (e.g. "checkpoint.json", "loss.csv");
//                    a temporary file of the atomic writer contains its final name, so it matches
//   MM_FAULT_CALL    write | fsync | rename | fwrite (rename matches on the new name)
//   MM_FAULT_COUNT   the n-th matching call (1-based) triggers the fault
//   MM_FAULT_ACTION  kill:      SIGKILL instead of the call
//                    torn:      (fwrite, write) pass half the bytes on, flush them, then SIGKILL
//                    interrupt: make the call, then raise SIGINT (as a Ctrl-C at that moment)
#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Fault {
    std::string file, call, action;
    long count = 0;
};

const Fault& fault() {
    static const Fault f = [] {
        Fault r;
        const char* file = std::getenv("MM_FAULT_FILE");
        const char* call = std::getenv("MM_FAULT_CALL");
        const char* count = std::getenv("MM_FAULT_COUNT");
        const char* action = std::getenv("MM_FAULT_ACTION");
        if (file && call && count && action) {
            r.file = file;
            r.call = call;
            r.count = std::strtol(count, nullptr, 10);
            r.action = action;
        }
        return r;
    }();
    return f;
}

std::string path_of_fd(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

// True when this call is the one that must fail.
bool triggers(const char* call, const std::string& path) {
    static std::atomic<long> seen{0};
    const Fault& f = fault();
    if (f.count <= 0 || f.call != call || path.find(f.file) == std::string::npos) return false;
    return ++seen == f.count;
}

template <class Fn>
Fn next(const char* name) {
    return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

void die() {
    ::kill(::getpid(), SIGKILL);
    ::pause();
}

}  // namespace

extern "C" ssize_t write(int fd, const void* data, size_t size) {
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    if (fault().count > 0 && triggers("write", path_of_fd(fd))) {
        if (fault().action == "kill") die();
        if (fault().action == "torn") {
            real(fd, data, size / 2);
            die();
        }
        const ssize_t n = real(fd, data, size);
        ::raise(SIGINT);
        return n;
    }
    return real(fd, data, size);
}

extern "C" int fsync(int fd) {
    static const auto real = next<int (*)(int)>("fsync");
    if (fault().count > 0 && triggers("fsync", path_of_fd(fd))) {
        if (fault().action != "interrupt") die();
        const int r = real(fd);
        ::raise(SIGINT);
        return r;
    }
    return real(fd);
}

extern "C" int rename(const char* from, const char* to) {
    static const auto real = next<int (*)(const char*, const char*)>("rename");
    if (fault().count > 0 && triggers("rename", to)) {
        if (fault().action != "interrupt") die();
        const int r = real(from, to);
        ::raise(SIGINT);
        return r;
    }
    return real(from, to);
}

extern "C" size_t fwrite(const void* data, size_t size, size_t n, FILE* file) {
    static const auto real = next<size_t (*)(const void*, size_t, size_t, FILE*)>("fwrite");
    if (fault().count > 0 && triggers("fwrite", path_of_fd(fileno(file)))) {
        if (fault().action == "kill") die();
        if (fault().action == "torn") {
            real(data, 1, size * n / 2, file);
            std::fflush(file);
            die();
        }
        const size_t r = real(data, size, n, file);
        ::raise(SIGINT);
        return r;
    }
    return real(data, size, n, file);
}
