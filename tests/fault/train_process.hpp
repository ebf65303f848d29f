#pragma once
// Runs the real mnist-train binary as a child process with a fault attached: a file-size limit
// (a full disk as `ulimit -f` makes it), an injected kill or interrupt at an exact call (see
// fault_injection.cpp), a SIGKILL or SIGINT at a chosen time, or another user. Output goes to a
// file; a child that outlives its time limit is killed and reported, so a hang fails the test.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mm::fault {

struct InjectedFault {
    std::string file, call, action;  // as MM_FAULT_FILE, MM_FAULT_CALL, MM_FAULT_ACTION
    long count = 1;                  // MM_FAULT_COUNT
};

struct ProcessFaults {
    std::optional<rlim_t> file_size_limit;  // bytes
    std::optional<InjectedFault> injected;
    // Sent once `ready` holds (polled every millisecond), `delay` later.
    std::optional<int> signal;
    std::function<bool()> ready = [] { return true; };
    std::chrono::microseconds delay{0};
    bool as_nobody = false;  // run as uid/gid 65534 when the test runs as root
};

struct ProcessResult {
    int exit_code = -1;    // when it exited
    int term_signal = 0;   // when a signal ended it
    bool timed_out = false;
    std::string output;    // stdout and stderr
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline ProcessResult run_train(const std::vector<std::string>& args, const std::string& output_file,
                               const ProcessFaults& faults = {},
                               std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::vector<std::string> argv_strings{MM_TRAIN_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0) ::_exit(120);
        ::dup2(out, 1);
        ::dup2(out, 2);
        if (faults.file_size_limit) {
            const rlimit r{*faults.file_size_limit, *faults.file_size_limit};
            if (::setrlimit(RLIMIT_FSIZE, &r) != 0) ::_exit(121);
        }
        if (faults.injected) {
            ::setenv("LD_PRELOAD", MM_FAULT_INJECTION_LIBRARY, 1);
            // A sanitizer build wants its runtime first; the preloaded library does not use it.
            ::setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
            ::setenv("MM_FAULT_FILE", faults.injected->file.c_str(), 1);
            ::setenv("MM_FAULT_CALL", faults.injected->call.c_str(), 1);
            ::setenv("MM_FAULT_ACTION", faults.injected->action.c_str(), 1);
            ::setenv("MM_FAULT_COUNT", std::to_string(faults.injected->count).c_str(), 1);
        }
        if (faults.as_nobody && ::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(122);
        ::execv(argv[0], argv.data());
        ::_exit(123);
    }

    const auto start = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> signal_at;
    bool signalled = false;
    ProcessResult result;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
            if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
            break;
        }
        const auto now = std::chrono::steady_clock::now();
        if (faults.signal && !signalled) {
            if (!signal_at && faults.ready()) signal_at = now + faults.delay;
            if (signal_at && now >= *signal_at) {
                ::kill(pid, *faults.signal);
                signalled = true;
            }
        }
        if (now - start > limit) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            result.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    result.output = read_file(output_file);
    return result;
}

}  // namespace mm::fault
