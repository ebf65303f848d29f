#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/exact_number_text.hpp>

#include <cmath>
#include <cstring>
#include <limits>

TEST_CASE("Hex text round-trips every bit of floats and doubles", "[exact_number_text]") {
    const double d[] = {0.1, -0.0, 1e-310, std::numeric_limits<double>::infinity(),
                        std::nextafter(1.0, 2.0)};
    double back[5];
    mm::from_hex(mm::to_hex(d, 5), back, 5, "test");
    CHECK(std::memcmp(d, back, sizeof d) == 0);
    const float f[] = {0.1f, -3.5f, 1e-40f};
    float fback[3];
    mm::from_hex(mm::to_hex(f, 3), fback, 3, "test");
    CHECK(std::memcmp(f, fback, sizeof f) == 0);
    CHECK(mm::to_hex(d, 1) == "9a9999999999b93f");  // 0.1 little-endian
}

TEST_CASE("Bad hex text names what it was and where", "[exact_number_text]") {
    double v[2];
    CHECK_THROWS_WITH(mm::from_hex("00", v, 2, "/parameters/0/data"),
                      Catch::Contains("/parameters/0/data") && Catch::Contains("expected 32 hex digits"));
    CHECK_THROWS_WITH(mm::from_hex(std::string(31, '0') + "g", v, 2, "x"),
                      Catch::Contains("character 31"));
}
