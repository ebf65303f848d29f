#include <mnist_minibatch/gradient_check.hpp>

#include <mnist_minibatch/numpy_random.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

// A small batch of uniform inputs in [0, 1) and labels from the generator.
template <class T>
void random_batch(mm::NumpyRandom& rng, std::size_t n, std::size_t d, std::size_t classes,
                  xt::xtensor<T, 2>& x, xt::xtensor<std::size_t, 1>& t) {
    x.resize({n, d});
    for (T& v : x) v = static_cast<T>(rng.random_sample());
    t.resize({n});
    rng.choice(classes, n, t.data());
}

template <class T>
mm::GradientCheck run_check(mm::Activation activation, mm::LossKind loss,
                            std::vector<std::size_t> hidden) {
    mm::NumpyRandom rng(7);
    mm::Network<T> net({6, hidden, 4, activation});
    net.initialize(rng, mm::InitKind::xavier, 0.0);
    xt::xtensor<T, 2> x;
    xt::xtensor<std::size_t, 1> t;
    random_batch(rng, 5, 6, 4, x, t);
    return mm::check_gradient(net, x, t, loss);
}

// With xavier weights on inputs in [0, 1) the central difference's truncation error (h^2/6 times
// the third derivative) is about 1e-7 relative in float64; in float32 rounding dominates,
// eps_f * loss / h ~ 1e-3 absolute, up to 0.1 of the smallest gradients here. A wrong gradient
// (a missing factor, the SSE gradient taken as y - t) is off by O(1). tests/unit/network.cpp
// compares float32 backprop with float64 backprop tightly.
template <class T>
double tolerance() {
    return sizeof(T) == 8 ? 1e-6 : 0.2;
}

}  // namespace

TEMPLATE_TEST_CASE("backprop matches the numerical gradient for every activation, loss and depth",
                   "[gradient_check]", float, double) {
    for (auto activation : {mm::Activation::sigmoid, mm::Activation::relu})
        for (auto loss : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares})
            for (const auto& hidden : std::vector<std::vector<std::size_t>>{{}, {5}, {5, 3}}) {
                const mm::GradientCheck check = run_check<TestType>(activation, loss, hidden);
                INFO("activation " << (activation == mm::Activation::sigmoid ? "sigmoid" : "relu")
                                   << ", loss "
                                   << (loss == mm::LossKind::cross_entropy ? "CEE" : "SSE")
                                   << ", hidden layers " << hidden.size() << "\n"
                                   << mm::format_gradient_check(check));
                REQUIRE(check.parameters.size() == 2 * (hidden.size() + 1));
                for (const auto& p : check.parameters) {
                    CHECK(p.max_abs_gradient > 1e-4);
                    CHECK(p.relative_error < tolerance<TestType>());
                }
            }
}

TEST_CASE("the gradient check reports a wrong gradient", "[gradient_check]") {
    // Training on SSE but checking against the CEE gradient must fail: the two differ.
    mm::NumpyRandom rng(3);
    mm::Network<double> net({6, {5}, 4, mm::Activation::sigmoid});
    net.initialize(rng, mm::InitKind::xavier, 0.0);
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    random_batch(rng, 5, 6, 4, x, t);
    net.gradient(x, t, mm::LossKind::cross_entropy);
    std::vector<double> cee_gradient;
    for (const auto& p : net.parameters()) cee_gradient.insert(cee_gradient.end(), p.grad, p.grad + p.size);
    const mm::GradientCheck sse = mm::check_gradient(net, x, t, mm::LossKind::sum_squares);
    CHECK(sse.max_relative_error() < 1e-7);
    double worst = 0;
    std::size_t i = 0;
    for (const auto& p : net.parameters())
        for (std::size_t j = 0; j < p.size; ++j, ++i)
            worst = std::max(worst, std::abs(cee_gradient[i] - p.grad[j]));
    CHECK(worst > 1e-3);
}

TEST_CASE("format_gradient_check prints one aligned row per parameter", "[gradient_check]") {
    mm::GradientCheck check{mm::LossKind::cross_entropy, 2.3, {}};
    check.parameters.push_back({"W1", {784, 50}, 1.5e-12, 2.5e-3, 6e-10});
    check.parameters.push_back({"b1", {50}, 0.0, 0.0, 0.0});
    const std::string text = mm::format_gradient_check(check);
    CHECK(text ==
          "parameter  shape          max |error|  max |gradient|  relative error\n"
          "W1         784x50           1.500e-12       2.500e-03       6.000e-10\n"
          "b1         50               0.000e+00       0.000e+00       0.000e+00\n");
    CHECK(check.max_relative_error() == 6e-10);
}
