#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/optimizer.hpp>

#include <cmath>

namespace {

// Two small parameter tensors with fixed gradients, outside any network.
struct Params {
    std::vector<double> w{1.0, -2.0, 0.5}, gw{0.5, 0.25, -1.0};
    std::vector<double> b{0.0}, gb{2.0};
    std::vector<mm::Parameter<double>> views() {
        return {{"W1", {3}, w.data(), gw.data(), 3}, {"b1", {1}, b.data(), gb.data(), 1}};
    }
};

mm::OptimizerConfig named(const std::string& name, double lr) {
    mm::OptimizerConfig c;
    c.name = name;
    c.learning_rate = lr;
    return c;
}

}  // namespace

TEST_CASE("SGD subtracts the rounded product lr * g", "[optimizer]") {
    Params p;
    auto opt = mm::make_optimizer<double>(named("sgd", 0.1), p.views());
    opt->update(p.views());
    CHECK(p.w[0] == 1.0 - 0.1 * 0.5);
    CHECK(p.w[1] == -2.0 - 0.1 * 0.25);
    CHECK(p.w[2] == 0.5 - 0.1 * -1.0);
    CHECK(p.b[0] == 0.0 - 0.1 * 2.0);
}

TEST_CASE("Momentum follows v = m v - lr g, p += v", "[optimizer]") {
    Params p;
    auto cfg = named("momentum", 0.1);
    cfg.momentum = 0.9;
    auto opt = mm::make_optimizer<double>(cfg, p.views());
    opt->update(p.views());
    double v = -0.1 * 0.5;
    CHECK(p.w[0] == 1.0 + v);
    opt->update(p.views());
    v = 0.9 * v - 0.1 * 0.5;
    CHECK(p.w[0] == Approx(1.0 - 0.1 * 0.5 + v).epsilon(1e-15));
}

TEST_CASE("Adam's first step moves each parameter by about lr against its gradient sign",
          "[optimizer]") {
    Params p;
    auto opt = mm::make_optimizer<double>(named("adam", 0.001), p.views());
    opt->update(p.views());
    // With bias correction, step 1 is lr * g / (|g| + 1e-7) = lr * sign(g) up to 1e-7.
    CHECK(p.w[0] == Approx(1.0 - 0.001).margin(1e-9));
    CHECK(p.w[2] == Approx(0.5 + 0.001).margin(1e-9));
    CHECK(p.b[0] == Approx(-0.001).margin(1e-9));
}

TEST_CASE("An optimizer restored from its state continues bit-identically", "[optimizer]") {
    for (const std::string name : {"sgd", "momentum", "adam"}) {
        SECTION(name) {
            Params a, b;
            auto cfg = named(name, 0.05);
            auto first = mm::make_optimizer<double>(cfg, a.views());
            first->update(a.views());
            first->update(a.views());
            b = a;
            auto second = mm::make_optimizer<double>(cfg, b.views());
            second->set_state(nlohmann::json::parse(first->state().dump()));
            first->update(a.views());
            second->update(b.views());
            CHECK(a.w == b.w);
            CHECK(a.b == b.b);
        }
    }
}

TEST_CASE("Optimizer states of another kind or size are refused", "[optimizer]") {
    Params p;
    auto adam = mm::make_optimizer<double>(named("adam", 0.001), p.views());
    auto momentum = mm::make_optimizer<double>(named("momentum", 0.1), p.views());
    CHECK_THROWS_WITH(adam->set_state(momentum->state()), Catch::Contains("expected optimizer 'adam'"));
    auto state = momentum->state();
    state["velocity"][0] = "00";
    CHECK_THROWS_WITH(momentum->set_state(state), Catch::Contains("/velocity/0"));
    CHECK_THROWS_AS(mm::make_optimizer<double>(named("rmsprop", 0.1), p.views()), mm::Error);
}
