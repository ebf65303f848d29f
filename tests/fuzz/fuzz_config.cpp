// The config reader on any bytes: the input up to the first NUL is the config file, every further
// NUL-separated piece one `--set KEY.PATH=VALUE` override. Only mm::Error may escape, and a config
// that parses must survive the round trip through its resolved JSON unchanged.
#include "fuzz_support.hpp"

#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/error.hpp>

#include <vector>

namespace {

const mm::fuzz::ScratchFile& scratch() {
    static const mm::fuzz::ScratchFile file("config.json");
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = mm::fuzz::bytes_of(data, size);
    const std::size_t end = input.find('\0');
    const std::string& path = scratch().write(input.substr(0, end));
    std::vector<std::string> overrides;
    for (std::size_t at = end; at != std::string_view::npos;) {
        const std::size_t next = input.find('\0', at + 1);
        overrides.emplace_back(input.substr(at + 1, next == std::string_view::npos
                                                        ? std::string_view::npos
                                                        : next - at - 1));
        at = next;
    }

    try {
        const mm::Config config = mm::load_config(path, overrides);
        const nlohmann::json resolved = mm::to_json(config);
        if (mm::parse_config(resolved, "resolved") != config)
            mm::fuzz::fail("parse_config(to_json(c)) != c for " + resolved.dump());
        if (mm::to_json(mm::parse_config(resolved, "resolved")) != resolved)
            mm::fuzz::fail("to_json is not stable over a round trip: " + resolved.dump());
    } catch (const mm::Error&) {
    }
    return 0;
}
