// `mnist-train chapter4`: every example of chapter 4 next to the book's value.
#include "command_registry.hpp"

#include <mnist_minibatch/chapter4_examples.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace {

int run() {
    const std::vector<mm::ExampleCheck> rows = mm::chapter4_examples();
    std::size_t width = std::string("example").size();
    for (const auto& r : rows) width = std::max(width, r.name.size());
    const int w = static_cast<int>(width);

    std::printf("%-*s  %24s  %24s  %10s  %-13s  %s\n", w, "example", "book", "ours", "difference",
                "tolerance", "ok");
    std::size_t failed = 0;
    for (const auto& r : rows) {
        const std::string tolerance =
            (r.relative ? "rel " : "abs ") + [&] {
                char text[16];
                std::snprintf(text, sizeof text, "%.0e", r.tolerance);
                return std::string(text);
            }();
        std::printf("%-*s  %24.17g  %24.17g  %10.2e  %-13s  %s\n", w, r.name.c_str(), r.book,
                    r.ours, r.difference(), tolerance.c_str(), r.passed() ? "yes" : "NO");
        if (!r.passed()) ++failed;
    }
    std::printf("\n%zu of %zu examples match the book within tolerance\n", rows.size() - failed,
                rows.size());
    return failed == 0 ? 0 : 1;
}

mm::app::CommandRegistration reg(30, [](CLI::App& app) {
    app.add_subcommand("chapter4", "Show every chapter-4 example next to the book's value");
    return std::function<int()>([] { return run(); });
});

}  // namespace
