#include <mnist_minibatch/network.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/functions.hpp>
#include <mnist_minibatch/loss.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>

namespace {

double parse(const nlohmann::json& j) { return std::strtod(j.get<std::string>().c_str(), nullptr); }

template <class T>
void random_batch(mm::NumpyRandom& rng, std::size_t n, std::size_t d, std::size_t classes,
                  xt::xtensor<T, 2>& x, xt::xtensor<std::size_t, 1>& t) {
    x.resize({n, d});
    for (T& v : x) v = static_cast<T>(rng.random_sample());
    t.resize({n});
    rng.choice(classes, n, t.data());
}

}  // namespace

TEST_CASE("parse_activation, parse_loss and parse_init map the config names", "[network]") {
    CHECK(mm::parse_activation("sigmoid") == mm::Activation::sigmoid);
    CHECK(mm::parse_activation("relu") == mm::Activation::relu);
    CHECK(mm::parse_loss("cross_entropy") == mm::LossKind::cross_entropy);
    CHECK(mm::parse_loss("sum_squares") == mm::LossKind::sum_squares);
    CHECK(mm::parse_init("normal") == mm::InitKind::normal);
    CHECK(mm::parse_init("he") == mm::InitKind::he);
    CHECK(mm::parse_init("xavier") == mm::InitKind::xavier);
    CHECK_THROWS_WITH(mm::parse_activation("tanh"), Catch::Contains("\"tanh\"") && Catch::Contains("\"relu\""));
    CHECK_THROWS_AS(mm::parse_loss("mse"), mm::Error);
    CHECK_THROWS_AS(mm::parse_init("Normal"), mm::Error);
}

TEST_CASE("initialize replays the book's TwoLayerNet weights for seed 42 bit for bit", "[network]") {
    std::ifstream in(std::string(MM_REFERENCE_DIR) + "/numpy_legacy_rng.json");
    REQUIRE(in.good());
    const auto ref = nlohmann::json::parse(in).at("twolayernet_init_seed42");
    mm::Network<double> net(mm::NetworkSpec{});
    mm::NumpyRandom rng(42);
    net.initialize(rng, mm::InitKind::normal, 0.01);
    CHECK(rng.raw_draws() == ref.at("raw_draws_W1_and_W2").get<std::uint64_t>());
    const auto params = net.parameters();
    REQUIRE(params.size() == 4);
    CHECK(params[0].name == "W1");
    CHECK(params[0].shape == std::vector<std::size_t>{784, 50});
    CHECK(params[1].name == "b1");
    CHECK(params[2].name == "W2");
    CHECK(params[3].shape == std::vector<std::size_t>{10});
    for (std::size_t k : {0, 2}) {
        const auto& r = ref.at(params[k].name);
        const double* w = params[k].value;
        for (std::size_t i = 0; i < 5; ++i) CHECK(w[i] == parse(r.at("first5")[i]));
        for (std::size_t i = 0; i < 3; ++i) CHECK(w[params[k].size - 3 + i] == parse(r.at("last3")[i]));
        CHECK(mm::pairwise_sum<double>(params[k].size, [w](std::size_t i) { return w[i]; }) ==
              parse(r.at("sum_numpy")));
    }
    for (std::size_t k : {1, 3})
        for (std::size_t i = 0; i < params[k].size; ++i) CHECK(params[k].value[i] == 0.0);
}

TEST_CASE("he and xavier scale the draws by sqrt(2/fan_in) and sqrt(1/fan_in)", "[network]") {
    for (auto [init, factor] : {std::pair{mm::InitKind::he, 2.0}, std::pair{mm::InitKind::xavier, 1.0}}) {
        mm::Network<float> net({16, {4}, 3, mm::Activation::relu});
        mm::NumpyRandom rng(5), replay(5);
        net.initialize(rng, init, 123.0);
        const auto params = net.parameters();
        for (std::size_t i = 0; i < params[0].size; ++i)
            CHECK(params[0].value[i] == static_cast<float>(std::sqrt(factor / 16) * replay.standard_normal()));
        for (std::size_t i = 0; i < params[2].size; ++i)
            CHECK(params[2].value[i] == static_cast<float>(std::sqrt(factor / 4) * replay.standard_normal()));
    }
}

TEST_CASE("predict, loss and count_correct agree with the functions they wire together",
          "[network]") {
    mm::NumpyRandom rng(1);
    mm::Network<double> net({5, {4, 3}, 3, mm::Activation::sigmoid});
    net.initialize(rng, mm::InitKind::xavier, 0);
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    random_batch(rng, 6, 5, 3, x, t);
    xt::xtensor<double, 2> y;
    net.predict(x, y);
    REQUIRE(y.shape(0) == 6);
    REQUIRE(y.shape(1) == 3);
    std::size_t correct = 0;
    for (std::size_t r = 0; r < 6; ++r) {
        CHECK((y(r, 0) + y(r, 1)) + y(r, 2) == Approx(1.0).epsilon(1e-15));
        correct += mm::argmax(&y(r, 0), 3) == t(r);
    }
    const auto loss = net.loss(x, t);
    CHECK(loss.cross_entropy == mm::cross_entropy_error(y, t));
    CHECK(loss.sum_squares == mm::sum_squares_error(y, t));
    CHECK(net.count_correct(x, t) == correct);
    const auto again = net.gradient(x, t, mm::LossKind::sum_squares);
    CHECK(again.cross_entropy == loss.cross_entropy);
    CHECK(again.sum_squares == loss.sum_squares);
}

TEST_CASE("a batch of one row gives the same gradient as that row inside a larger batch, scaled",
          "[network]") {
    mm::NumpyRandom rng(2);
    mm::Network<double> net({4, {3}, 2, mm::Activation::relu});
    net.initialize(rng, mm::InitKind::he, 0);
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    random_batch(rng, 1, 4, 2, x, t);
    net.gradient(x, t, mm::LossKind::cross_entropy);
    std::vector<double> single;
    for (const auto& p : net.parameters()) single.insert(single.end(), p.grad, p.grad + p.size);
    xt::xtensor<double, 2> x2({2, 4});
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t j = 0; j < 4; ++j) x2(r, j) = x(0, j);
    const xt::xtensor<std::size_t, 1> t2{t(0), t(0)};
    net.gradient(x2, t2, mm::LossKind::cross_entropy);
    std::size_t i = 0;
    for (const auto& p : net.parameters())
        for (std::size_t j = 0; j < p.size; ++j, ++i) CHECK(p.grad[j] == Approx(single[i]).margin(1e-15));
}

TEST_CASE("float32 backprop follows float64 backprop at the same parameters", "[network]") {
    mm::NumpyRandom rng(4);
    const mm::NetworkSpec spec{8, {6, 5}, 4, mm::Activation::sigmoid};
    mm::Network<double> net64(spec);
    net64.initialize(rng, mm::InitKind::xavier, 0);
    mm::Network<float> net32(spec);
    auto p64 = net64.parameters();
    auto p32 = net32.parameters();
    for (std::size_t k = 0; k < p64.size(); ++k)
        for (std::size_t i = 0; i < p64[k].size; ++i) p32[k].value[i] = static_cast<float>(p64[k].value[i]);
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    random_batch(rng, 7, 8, 4, x, t);
    const xt::xtensor<float, 2> xf = xt::cast<float>(x);
    for (auto loss : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares}) {
        net64.gradient(x, t, loss);
        net32.gradient(xf, t, loss);
        for (std::size_t k = 0; k < p64.size(); ++k) {
            double largest = 0, worst = 0;
            for (std::size_t i = 0; i < p64[k].size; ++i) {
                largest = std::max(largest, std::abs(p64[k].grad[i]));
                worst = std::max(worst, std::abs(p64[k].grad[i] - p32[k].grad[i]));
            }
            INFO(p64[k].name);
            CHECK(largest > 1e-4);
            CHECK(worst / largest < 1e-5);
        }
    }
}

TEST_CASE("copies are deep and moves keep the parameter pointers valid", "[network]") {
    mm::NumpyRandom rng(0);
    mm::Network<double> a({3, {}, 2, mm::Activation::sigmoid});
    a.initialize(rng, mm::InitKind::normal, 1.0);
    mm::Network<double> b = a;
    b.parameters()[0].value[0] += 1.0;
    CHECK(a.parameters()[0].value[0] + 1.0 == b.parameters()[0].value[0]);
    double* w = a.parameters()[0].value;
    mm::Network<double> c = std::move(a);
    CHECK(c.parameters()[0].value == w);
    CHECK(c.spec().input_size == 3);
    CHECK(c.spec().hidden_sizes.empty());
}

TEST_CASE("bad specs and bad batches are one clear mm::Error", "[network]") {
    CHECK_THROWS_WITH((mm::Network<float>({784, {50, 0}, 10, mm::Activation::relu})),
                      Catch::Contains("784-50-0-10") && Catch::Contains("size 2 is 0"));
    CHECK_THROWS_AS((mm::Network<float>({0, {}, 10, mm::Activation::relu})), mm::Error);
    mm::Network<double> net({4, {3}, 2, mm::Activation::sigmoid});
    const xt::xtensor<double, 2> wrong = xt::zeros<double>({2, 5});
    const xt::xtensor<double, 2> empty = xt::zeros<double>({0, 4});
    const xt::xtensor<double, 2> x = xt::zeros<double>({2, 4});
    xt::xtensor<double, 2> y;
    CHECK_THROWS_WITH(net.predict(wrong, y), Catch::Contains("shape (2, 5); expected (N, 4)"));
    CHECK_THROWS_AS(net.predict(empty, y), mm::Error);
    CHECK_THROWS_WITH(net.loss(x, xt::xtensor<std::size_t, 1>{0}),
                      Catch::Contains("1 entries; expected one per input row (2)"));
    CHECK_THROWS_WITH(net.gradient(x, xt::xtensor<std::size_t, 1>{0, 2}, mm::LossKind::sum_squares),
                      Catch::Contains("t[1] is 2; expected a class index below 2"));
    CHECK_THROWS_AS(net.numerical_gradient(x, xt::xtensor<std::size_t, 1>{5, 0}, mm::LossKind::cross_entropy),
                    mm::Error);
    CHECK_THROWS_AS(net.count_correct(wrong, xt::xtensor<std::size_t, 1>{0, 0}), mm::Error);
}
