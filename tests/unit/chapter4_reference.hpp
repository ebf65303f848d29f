#pragma once
// The book's numbers for chapter 4 (shared/reference/chapter4_examples.json), whose floats are
// '%.17g' strings: strtod gives back the exact double.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <xtensor/xtensor.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

namespace mm::test {

inline const nlohmann::json& chapter4_reference() {
    static const nlohmann::json examples = [] {
        std::ifstream in(std::string(MM_REFERENCE_DIR) + "/chapter4_examples.json");
        REQUIRE(in.good());
        return nlohmann::json::parse(in).at("examples");
    }();
    return examples;
}

// The exact double at a JSON pointer below "examples", e.g. "/simpleNet/loss"; integers (the
// argmax) are plain JSON numbers.
inline double reference_value(const std::string& pointer) {
    const auto& v = chapter4_reference().at(nlohmann::json::json_pointer(pointer));
    return v.is_number() ? v.get<double>() : std::strtod(v.get<std::string>().c_str(), nullptr);
}

// A JSON array of plain numbers (the examples' inputs) as a tensor.
inline xt::xtensor<double, 1> reference_vector(const std::string& pointer) {
    const auto& a = chapter4_reference().at(nlohmann::json::json_pointer(pointer));
    xt::xtensor<double, 1> v = xt::zeros<double>({a.size()});
    for (std::size_t i = 0; i < a.size(); ++i) v(i) = a[i].get<double>();
    return v;
}

}  // namespace mm::test
