#pragma once
// Runs the built mnist-train binary as a user would, for the command-line tests.
#include "temp_dir.hpp"

#include <cstdlib>
#include <string>

#include <sys/wait.h>

namespace mm::test {

struct CommandResult {
    int exit_code;
    std::string output;  // stdout and stderr together
};

// `args` is a shell fragment. `timeout` ends a command that would hang, so the test fails
// instead of blocking the suite. The output goes to `output_file` when given (a test can watch it
// grow), else to a temporary file.
inline CommandResult mnist_train(const std::string& args, const std::string& output_file = "") {
    const TempDir tmp;
    const std::string out = output_file.empty() ? tmp.file("output.txt") : output_file;
    const std::string command = "timeout 120 '" + std::string(MM_TRAIN_BINARY) + "' " + args +
                                " > '" + out + "' 2>&1";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(out)};
}

}  // namespace mm::test
