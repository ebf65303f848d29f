#include <mnist_minibatch/numerical_gradient.hpp>

#include "chapter4_reference.hpp"

#include <mnist_minibatch/chapter4_examples.hpp>

#include <catch2/catch.hpp>

#include <string>

using mm::test::reference_value;

TEST_CASE("numerical_diff of function_1 at 5 and 10 is the book's, bit for bit",
          "[numerical_gradient]") {
    CHECK(mm::function_1(5.0) == reference_value("/numerical_diff/function_1(5)"));
    CHECK(mm::function_1(10.0) == reference_value("/numerical_diff/function_1(10)"));
    CHECK(mm::numerical_diff(mm::function_1, 5.0) == reference_value("/numerical_diff/x=5"));
    CHECK(mm::numerical_diff(mm::function_1, 10.0) == reference_value("/numerical_diff/x=10"));
}

TEST_CASE("numerical_gradient of function_2 is the book's, and leaves x unchanged",
          "[numerical_gradient]") {
    const std::function<double(const xt::xtensor<double, 1>&)> f = mm::function_2;
    for (const auto& [key, x0, x1] : {std::tuple{"[3.0, 4.0]", 3.0, 4.0},
                                      std::tuple{"[0.0, 2.0]", 0.0, 2.0},
                                      std::tuple{"[3.0, 0.0]", 3.0, 0.0}}) {
        xt::xtensor<double, 1> x{x0, x1};
        const xt::xtensor<double, 1> g = mm::numerical_gradient(f, x);
        const std::string ref = std::string("/numerical_gradient/results/") + key;
        CHECK(g(0) == reference_value(ref + "/0"));
        CHECK(g(1) == reference_value(ref + "/1"));
        CHECK(x(0) == x0);
        CHECK(x(1) == x1);
    }
}

TEST_CASE("gradient_descent for lr 0.1, 10 and 1e-10 follows the book's history",
          "[numerical_gradient]") {
    for (const char* key : {"lr=0.1", "lr=10.0", "lr=1e-10"}) {
        const double lr = std::stod(std::string(key).substr(3));
        const auto r = mm::gradient_descent(mm::function_2, {-3.0, 4.0}, lr, 100);
        const std::string ref = std::string("/gradient_descent/results/") + key;
        REQUIRE(r.history.size() == 100);
        for (std::size_t i = 0; i < 2; ++i) {
            const std::string j = "/" + std::to_string(i);
            CHECK(r.x(i) == reference_value(ref + "/x" + j));
            CHECK(r.history.back()(i) == reference_value(ref + "/x_history_last" + j));
            for (std::size_t k = 0; k < 3; ++k)
                CHECK(r.history[k](i) ==
                      reference_value(ref + "/x_history_first3/" + std::to_string(k) + j));
        }
    }
}

TEST_CASE("simpleNet: predict, loss and dW as in the book", "[numerical_gradient]") {
    mm::SimpleNet net{{{0.47355232, 0.9977393, 0.84668094}, {0.85557411, 0.03563661, 0.69422093}}};
    const xt::xtensor<double, 1> x{0.6, 0.9};
    const xt::xtensor<double, 1> t{0, 0, 1};
    const xt::xtensor<double, 1> p = net.predict(x);
    for (std::size_t j = 0; j < 3; ++j)
        CHECK(p(j) == Approx(reference_value("/simpleNet/predict/" + std::to_string(j))).epsilon(1e-15));
    CHECK(net.loss(x, t) == Approx(reference_value("/simpleNet/loss")).epsilon(1e-15));
    const xt::xtensor<double, 2> W0 = net.W;
    const std::function<double(const xt::xtensor<double, 2>&)> f =
        [&](const xt::xtensor<double, 2>&) { return net.loss(x, t); };
    const xt::xtensor<double, 2> dW = mm::numerical_gradient(f, net.W);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(dW(i, j) == Approx(reference_value("/simpleNet/dW/" + std::to_string(i) + "/" +
                                                     std::to_string(j)))
                                  .margin(1e-9));
            CHECK(net.W(i, j) == W0(i, j));
        }
}

TEST_CASE("numerical_gradient over a raw float parameter array", "[numerical_gradient]") {
    float w[3] = {1.0f, -2.0f, 0.5f};
    float g[3];
    mm::numerical_gradient<float>([&] { return w[0] * w[0] + 3.0f * w[1] - w[2]; }, w, 3, g);
    CHECK(g[0] == Approx(2.0f).epsilon(1e-2));
    CHECK(g[1] == Approx(3.0f).epsilon(1e-2));
    CHECK(g[2] == Approx(-1.0f).epsilon(1e-2));
    CHECK(w[0] == 1.0f);
    CHECK(w[1] == -2.0f);
    CHECK(w[2] == 0.5f);
}
