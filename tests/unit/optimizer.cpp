#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/optimizer.hpp>

#include <algorithm>
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

TEST_CASE("Every optimizer gives the same bits with its elements split over 1, 2 or 3 threads",
          "[optimizer][thread_pool]") {
    // Sizes that do not divide evenly among the threads, gradients that change every step.
    auto values = [](std::size_t n, double scale) {
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = scale * std::sin(1.0 + 0.37 * static_cast<double>(i));
        return v;
    };
    for (const std::string name : {"sgd", "momentum", "adam"}) {
        CAPTURE(name);
        auto cfg = named(name, 0.05);
        cfg.momentum = 0.9;
        std::vector<std::vector<double>> results;
        for (const std::size_t threads : {1, 2, 3}) {
            std::vector<double> w = values(101, 1.0), g(101), b = values(7, 0.5), gb(7);
            const std::vector<mm::Parameter<double>> params{{"W1", {101}, w.data(), g.data(), 101},
                                                            {"b1", {7}, b.data(), gb.data(), 7}};
            auto opt = mm::make_optimizer<double>(cfg, params);
            mm::ThreadPool pool(threads);
            for (int step = 0; step < 5; ++step) {  // in place: params point into g and gb
                const auto g_step = values(101, 0.1 * (step + 1)), gb_step = values(7, -0.2 * (step + 1));
                std::copy(g_step.begin(), g_step.end(), g.begin());
                std::copy(gb_step.begin(), gb_step.end(), gb.begin());
                opt->update(params, &pool);
            }
            w.insert(w.end(), b.begin(), b.end());
            results.push_back(w);
        }
        CHECK(results[1] == results[0]);
        CHECK(results[2] == results[0]);
        CHECK(results[0][0] != values(1, 1.0)[0]);  // and the steps did move the parameters
    }
}
