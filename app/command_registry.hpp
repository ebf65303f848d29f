#pragma once
// Each `mnist-train` subcommand lives in its own app/cmd_*.cpp and registers itself here at
// static-initialisation time, so adding a command never touches main.cpp.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace mm::app {

// Adds the subcommand to `app` and returns a callback run when it was chosen; the callback's
// return value is the process exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& app)>;

struct CommandRegistration {
    CommandRegistration(int order, CommandSetup setup);
};

struct RegisteredCommand {
    int order;
    CommandSetup setup;
};

std::vector<RegisteredCommand>& registered_commands();

}  // namespace mm::app
