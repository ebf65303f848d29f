#pragma once
// Reading back the checkpoint states of the generator and the sampler: each bad field becomes
// one mm::Error "<where><JSON pointer>: expected ..., found ...". Private to lib/src.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace mm::state_json {

// A short description of a JSON value for error messages: `the string "x"`, `-3`, `an array
// of 5 elements`.
std::string describe(const nlohmann::json& value);

[[noreturn]] void fail(const std::string& where, const std::string& pointer,
                       const std::string& expected, const std::string& found);

// `value` must be an object holding exactly `keys` (no more, no fewer).
void require_object_with(const nlohmann::json& value, std::initializer_list<const char*> keys,
                         const std::string& where, const std::string& pointer);

// An integer (not a float, not a bool) in [0, max].
std::uint64_t unsigned_in_range(const nlohmann::json& value, std::uint64_t max,
                                const std::string& where, const std::string& pointer);

}  // namespace mm::state_json
