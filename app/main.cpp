#include "command_registry.hpp"

#include <mnist_minibatch/error.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>

namespace mm::app {

std::vector<RegisteredCommand>& registered_commands() {
    static std::vector<RegisteredCommand> commands;
    return commands;
}

CommandRegistration::CommandRegistration(int order, CommandSetup setup) {
    registered_commands().push_back({order, std::move(setup)});
}

}  // namespace mm::app

int main(int argc, char** argv) {
    CLI::App app{"mnist-train: train a small neural network on MNIST with mini-batch SGD, "
                 "following chapter 4 of 'Deep Learning from Scratch'"};
    app.require_subcommand(1);

    auto& commands = mm::app::registered_commands();
    std::sort(commands.begin(), commands.end(),
              [](const auto& a, const auto& b) { return a.order < b.order; });
    std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
    for (auto& c : commands) {
        const std::size_t before = app.get_subcommands({}).size();
        auto run = c.setup(app);
        runners.emplace_back(app.get_subcommands({})[before], std::move(run));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    try {
        for (auto& [sub, run] : runners)
            if (sub->parsed()) return run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mnist-train: error: %s\n", e.what());
        return 1;
    }
    return 1;
}
