#include "state_json.hpp"

#include <mnist_minibatch/error.hpp>

namespace mm::state_json {

std::string describe(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
        case nlohmann::json::value_t::string: return "the string " + value.dump();
        case nlohmann::json::value_t::array:
            return "an array of " + std::to_string(value.size()) + " elements";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::number_float: return "the float " + value.dump();
        default: return value.dump();
    }
}

void fail(const std::string& where, const std::string& pointer, const std::string& expected,
          const std::string& found) {
    throw Error(where + pointer + ": expected " + expected + ", found " + found);
}

void require_object_with(const nlohmann::json& value, std::initializer_list<const char*> keys,
                         const std::string& where, const std::string& pointer) {
    if (!value.is_object()) fail(where, pointer.empty() ? "/" : pointer, "an object", describe(value));
    for (const char* key : keys)
        if (!value.contains(key))
            fail(where, pointer + "/" + key, "a value (the key is required)", "no such key");
    for (const auto& item : value.items()) {
        bool known = false;
        for (const char* key : keys) known = known || item.key() == key;
        if (!known) {
            std::string allowed;
            for (const char* key : keys) allowed += (allowed.empty() ? "" : ", ") + std::string(key);
            fail(where, pointer + "/" + item.key(), "no such key (allowed: " + allowed + ")",
                 "an unknown key");
        }
    }
}

std::uint64_t unsigned_in_range(const nlohmann::json& value, std::uint64_t max,
                                const std::string& where, const std::string& pointer) {
    const std::string expected = "an integer in [0, " + std::to_string(max) + "]";
    // A JSON value built in C++ from a signed int is number_integer even when non-negative.
    if (value.is_number_unsigned() ||
        (value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
        const auto v = value.get<std::uint64_t>();
        if (v <= max) return v;
    }
    fail(where, pointer, expected, describe(value));
}

}  // namespace mm::state_json
