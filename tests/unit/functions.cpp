#include <mnist_minibatch/functions.hpp>

#include "chapter4_reference.hpp"

#include <mnist_minibatch/numpy_random.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <xtensor/xview.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <type_traits>
#include <vector>

using mm::test::reference_value;

TEST_CASE("pairwise_sum follows numpy's order: blocks of 8192, 8 accumulators, pairwise halves",
          "[functions]") {
    // The 39200 weights of the seed-42 TwoLayerNet W1: numpy's np.sum and a left-to-right sum
    // differ, so only numpy's order gives sum_numpy bit for bit.
    std::ifstream in(std::string(MM_REFERENCE_DIR) + "/numpy_legacy_rng.json");
    REQUIRE(in.good());
    const auto init = nlohmann::json::parse(in).at("twolayernet_init_seed42");
    for (const char* name : {"W1", "W2"}) {
        const auto& ref = init.at(name);
        const std::size_t n = ref.at("shape")[0].get<std::size_t>() * ref.at("shape")[1].get<std::size_t>();
        mm::NumpyRandom rng(42);
        if (std::string(name) == "W2")
            for (std::size_t i = 0; i < 784 * 50; ++i) rng.standard_normal();
        std::vector<double> w(n);
        for (double& v : w) v = 0.01 * rng.standard_normal();
        const double numpy = std::strtod(ref.at("sum_numpy").get<std::string>().c_str(), nullptr);
        const double sequential =
            std::strtod(ref.at("sum_sequential_c_order").get<std::string>().c_str(), nullptr);
        CHECK(mm::pairwise_sum<double>(n, [&](std::size_t i) { return w[i]; }) == numpy);
        double left_to_right = 0;
        for (double v : w) left_to_right += v;
        CHECK(left_to_right == sequential);
        CHECK(numpy != sequential);
    }
}

TEST_CASE("pairwise_sum of short runs and of -0.0", "[functions]") {
    CHECK(std::signbit(mm::pairwise_sum<double>(0, [](std::size_t) { return 1.0; })));
    CHECK(mm::pairwise_sum<double>(5, [](std::size_t i) { return double(i); }) == 10.0);
    CHECK(mm::pairwise_sum<double>(129, [](std::size_t i) { return double(i); }) == 129.0 * 64);
    CHECK(mm::pairwise_sum<float>(20000, [](std::size_t) { return 1.0f; }) == 20000.0f);
}

TEST_CASE("identity and relu", "[functions]") {
    const xt::xtensor<double, 2> x{{-2.0, -0.0, 0.0, 3.5}};
    xt::xtensor<double, 2> out;
    mm::identity(x, out);
    CHECK(bool(out == x));
    mm::relu(x, out);
    CHECK(bool(out == xt::xtensor<double, 2>{{0.0, 0.0, 0.0, 3.5}}));
}

TEST_CASE("sigmoid: the book's formula for x >= 0, no overflow for large |x|", "[functions]") {
    CHECK(mm::sigmoid(0.0) == 0.5);
    CHECK(mm::sigmoid(2.0) == 1.0 / (1.0 + std::exp(-2.0)));
    CHECK(mm::sigmoid(-2.0) == Approx(1.0 / (1.0 + std::exp(2.0))).epsilon(1e-15));
    CHECK(mm::sigmoid(1000.0) == 1.0);
    CHECK(mm::sigmoid(-1000.0) == 0.0);
    CHECK(mm::sigmoid(-80.0f) == Approx(std::exp(-80.0)).epsilon(1e-6));
    CHECK(mm::sigmoid(-std::numeric_limits<double>::infinity()) == 0.0);

    const xt::xtensor<float, 1> x{-1000.0f, -1.0f, 0.0f, 1.0f, 1000.0f};
    xt::xtensor<float, 1> out;
    mm::sigmoid(x, out);
    REQUIRE(out.size() == 5);
    CHECK(out(0) == 0.0f);
    CHECK(out(2) == 0.5f);
    CHECK(out(4) == 1.0f);
}

// How many representable values lie between a and b.
template <class T>
long long ulps_apart(T a, T b) {
    using I = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
    I ia, ib;
    std::memcpy(&ia, &a, sizeof a);
    std::memcpy(&ib, &b, sizeof b);
    if (ia < 0) ia = std::numeric_limits<I>::min() - ia;
    if (ib < 0) ib = std::numeric_limits<I>::min() - ib;
    return std::llabs(static_cast<long long>(ia) - static_cast<long long>(ib));
}

template <class T>
void check_vector_sigmoid() {
    // Every value from -800 to 40 in steps of 1/128 and a few odd lengths, so the vector body and
    // the tail both run; each result against the scalar reference with libm's exp: within 2 ulp,
    // or both below the smallest normal number (the vector exp flushes those to 0).
    const T tiny = std::numeric_limits<T>::min();
    for (const std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(107521)}) {
        auto x = xt::xtensor<T, 2>::from_shape({1, n});
        for (std::size_t i = 0; i < n; ++i) x(0, i) = static_cast<T>(-800.0 + i / 128.0);
        xt::xtensor<T, 2> out;
        mm::sigmoid(x, out);
        long long worst = 0;
        std::size_t flushed = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const T reference = mm::sigmoid(x(0, i));
            if (out(0, i) < tiny && reference < tiny) {
                flushed += reference != out(0, i);
                continue;
            }
            worst = std::max(worst, ulps_apart(out(0, i), reference));
        }
        CAPTURE(n, flushed);
        CHECK(worst <= 2);
    }
    const xt::xtensor<T, 2> special{{-std::numeric_limits<T>::infinity(), T(-1e4), T(0), T(1e4),
                                     std::numeric_limits<T>::infinity()}};
    xt::xtensor<T, 2> out;
    mm::sigmoid(special, out);
    CHECK((out == xt::xtensor<T, 2>{{T(0), T(0), T(0.5), T(1), T(1)}}));
    const xt::xtensor<T, 2> nan{{std::numeric_limits<T>::quiet_NaN()}};
    mm::sigmoid(nan, out);
    CHECK(std::isnan(out(0, 0)));
}

TEST_CASE("the vectorized sigmoid stays within 2 ulp of the scalar reference", "[functions]") {
    SECTION("float") { check_vector_sigmoid<float>(); }
    SECTION("double") { check_vector_sigmoid<double>(); }
}

TEST_CASE("softmax of simpleNet's logits gives the book's probabilities", "[functions]") {
    const xt::xtensor<double, 1> logits{reference_value("/simpleNet/predict/0"),
                                        reference_value("/simpleNet/predict/1"),
                                        reference_value("/simpleNet/predict/2")};
    xt::xtensor<double, 1> y;
    mm::softmax(logits, y);
    for (std::size_t j = 0; j < 3; ++j)
        CHECK(y(j) == Approx(reference_value("/simpleNet/softmax/" + std::to_string(j)))
                          .epsilon(1e-15));
}

TEST_CASE("softmax of a batch is the softmax of each row; huge logits give no NaN",
          "[functions]") {
    const xt::xtensor<double, 2> x{{1.0, 2.0, 3.0}, {1000.0, 1000.0, -1000.0}, {-1e308, 0.0, 1e308}};
    xt::xtensor<double, 2> y;
    mm::softmax(x, y);
    for (std::size_t r = 0; r < 3; ++r) {
        const xt::xtensor<double, 1> row = xt::row(x, r);
        xt::xtensor<double, 1> yr;
        mm::softmax(row, yr);
        for (std::size_t j = 0; j < 3; ++j) CHECK(y(r, j) == yr(j));
        CHECK((y(r, 0) + y(r, 1)) + y(r, 2) == Approx(1.0).epsilon(1e-15));
    }
    CHECK(y(1, 0) == 0.5);
    CHECK(y(1, 2) == 0.0);
    CHECK(y(2, 2) == 1.0);
    CHECK(y(0, 2) == Approx(std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0))));
}

TEST_CASE("softmax reuses an output of the right shape and resizes a wrong one", "[functions]") {
    const xt::xtensor<float, 2> x{{0.0f, 0.0f}};
    xt::xtensor<float, 2> y = xt::zeros<float>({1, 2});
    const float* before = y.data();
    mm::softmax(x, y);
    CHECK(y.data() == before);
    CHECK(y(0, 1) == 0.5f);
    xt::xtensor<float, 2> wrong = xt::zeros<float>({3, 5});
    mm::softmax(x, wrong);
    CHECK(wrong.shape(0) == 1);
    CHECK(wrong.shape(1) == 2);
}

TEST_CASE("argmax returns the first index on ties, like np.argmax", "[functions]") {
    const double v[] = {0.1, 0.7, 0.2, 0.7};
    CHECK(mm::argmax(v, 4) == 1);
    CHECK(mm::argmax(v, 1) == 0);
}
