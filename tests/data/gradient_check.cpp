#include <mnist_minibatch/gradient_check.hpp>

#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include "../support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

namespace {

const mm::MnistSplit& train_split() {
    static const mm::MnistSplit split = [] {
        const char* dir = std::getenv("MNIST_DATA_DIR");
        REQUIRE(dir != nullptr);
        const mm::MnistFiles files = mm::find_mnist_files(dir);
        return mm::load_mnist_split(files.train_images, files.train_labels);
    }();
    return split;
}

// The first `rows` training images, normalised as the book does, and their labels.
void first_rows(std::size_t rows, xt::xtensor<double, 2>& x, xt::xtensor<std::size_t, 1>& t) {
    std::vector<std::size_t> indices(rows);
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    mm::gather_images(train_split(), indices.data(), rows, true, x);
    mm::gather_labels(train_split(), indices.data(), rows, t);
}

mm::Network<double> initialised(std::vector<std::size_t> hidden, mm::Activation activation,
                                mm::InitKind init = mm::InitKind::normal) {
    mm::Network<double> net({784, hidden, 10, activation});
    mm::NumpyRandom rng(0);
    net.initialize(rng, init, 0.01);
    return net;
}

struct Case {
    std::vector<std::size_t> hidden;
    mm::Activation activation;
    mm::InitKind init;
};

void check_cases(const std::vector<Case>& cases) {
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    first_rows(3, x, t);
    for (const Case& c : cases)
        for (auto loss : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares}) {
            mm::Network<double> net = initialised(c.hidden, c.activation, c.init);
            const mm::GradientCheck check = mm::check_gradient(net, x, t, loss);
            INFO("hidden layers " << c.hidden.size() << ", "
                                  << (loss == mm::LossKind::cross_entropy ? "CEE" : "SSE") << "\n"
                                  << mm::format_gradient_check(check));
            for (const auto& p : check.parameters) {
                CHECK(p.max_abs_gradient > 0);
                // Both ~1e-9: the cross-entropy check differentiates -log(y) like backprop does
                // (the 1e-7 delta's own effect is the next test's subject).
                CHECK(p.relative_error < 1e-7);
            }
        }
}

}  // namespace

// Deeper nets use xavier/he: with std 0.01 the first layers' gradients vanish (~1e-6, near the
// 1e-12 noise floor of the differences) and ReLU pre-activations shrink to ~h, where a step of h
// crosses the kink. Hidden layers are small to keep the 2 * 784 * H forward passes quick.
TEST_CASE("gradient check on real MNIST rows, float64: every parameter, both losses, depth 0-2",
          "[gradient_check][data]") {
    check_cases({{{}, mm::Activation::sigmoid, mm::InitKind::normal},
                 {{8}, mm::Activation::relu, mm::InitKind::xavier},
                 {{8, 6}, mm::Activation::sigmoid, mm::InitKind::xavier},
                 {{8, 6}, mm::Activation::relu, mm::InitKind::he}});
}

TEST_CASE("gradient check of the book's 784-50-10 sigmoid net on real MNIST rows (slow)",
          "[gradient_check][data][slow]") {
    check_cases({{{50}, mm::Activation::sigmoid, mm::InitKind::normal}});
}

TEST_CASE("the cross-entropy gap is the delta: numerical = backprop * y_t / (y_t + 1e-7)",
          "[gradient_check][data]") {
    // With one row every parameter's backprop gradient carries the same factor, so scaling it
    // must close the gap to the sum-of-squares level.
    xt::xtensor<double, 2> x;
    xt::xtensor<std::size_t, 1> t;
    first_rows(1, x, t);
    mm::Network<double> net = initialised({10}, mm::Activation::sigmoid);
    xt::xtensor<double, 2> y;
    net.predict(x, y);
    const double y_t = y(0, t(0));
    const double factor = y_t / (y_t + mm::cross_entropy_delta);

    net.gradient(x, t, mm::LossKind::cross_entropy);
    std::vector<double> backprop;
    for (const auto& p : net.parameters()) backprop.insert(backprop.end(), p.grad, p.grad + p.size);
    net.numerical_gradient(x, t, mm::LossKind::cross_entropy);
    double worst_raw = 0, worst_scaled = 0, largest = 0;
    std::size_t i = 0;
    for (const auto& p : net.parameters())
        for (std::size_t j = 0; j < p.size; ++j, ++i) {
            worst_raw = std::max(worst_raw, std::abs(backprop[i] - p.grad[j]));
            worst_scaled = std::max(worst_scaled, std::abs(backprop[i] * factor - p.grad[j]));
            largest = std::max(largest, std::abs(p.grad[j]));
        }
    INFO("y_t " << y_t << ", raw " << worst_raw / largest << ", scaled " << worst_scaled / largest);
    CHECK(worst_raw / largest > 2e-7);
    CHECK(worst_scaled / largest < 1e-8);
}

TEST_CASE("mnist-train gradcheck prints the table and passes on real data",
          "[gradient_check][data]") {
    REQUIRE(std::getenv("MNIST_DATA_DIR") != nullptr);
    mm::test::TempDir dir;
    const std::string out = dir.path() + "/gradcheck.txt";
    const std::string command = std::string(MM_TRAIN_BINARY) + " gradcheck " + MM_SOURCE_DIR +
                                "/configs/chapter4.json --set model.hidden_sizes=[5] --rows 2 > " +
                                out + " 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(text);
    CHECK(status == 0);
    CHECK(text.find("784-5-10 sigmoid, float64") != std::string::npos);
    CHECK(text.find("W1         784x5") != std::string::npos);
    CHECK(text.find("loss sum_squares") != std::string::npos);
    CHECK(text.find("FAILED") == std::string::npos);
}
