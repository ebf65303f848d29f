#include <mnist_minibatch/chapter4_examples.hpp>

#include <mnist_minibatch/functions.hpp>
#include <mnist_minibatch/loss.hpp>
#include <mnist_minibatch/numerical_gradient.hpp>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xnoalias.hpp>

#include <cmath>

namespace mm {

double function_1(double x) {
    return 0.01 * (x * x) + 0.1 * x;
}

double function_2(const xt::xtensor<double, 1>& x) {
    return pairwise_sum<double>(x.size(), [&x](std::size_t i) { return x(i) * x(i); });
}

xt::xtensor<double, 1> SimpleNet::predict(const xt::xtensor<double, 1>& x) const {
    // Assigned into a sized tensor: constructing an xtensor from dot's dynamic-shape result
    // trips a false -Wmaybe-uninitialized inside xtl.
    xt::xtensor<double, 1> y = xt::zeros<double>({W.shape(1)});
    xt::noalias(y) = xt::linalg::dot(x, W);
    return y;
}

double SimpleNet::loss(const xt::xtensor<double, 1>& x, const xt::xtensor<double, 1>& t) const {
    xt::xtensor<double, 1> y;
    softmax(predict(x), y);
    return cross_entropy_error(y, t);
}

double ExampleCheck::difference() const {
    return ours - book;
}

bool ExampleCheck::passed() const {
    const double allowed = relative ? tolerance * std::abs(book) : tolerance;
    return std::abs(difference()) <= allowed;
}

namespace {

constexpr double exact_to_ulps = 1e-15;  // relative; numpy's exp/log may be 1 ulp off libm
constexpr double dW_tolerance = 1e-9;    // absolute; README "Recommended comparisons"

// The two probability vectors of the chapter's error-function examples; t is "2".
const xt::xtensor<double, 1> y1{0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0};
const xt::xtensor<double, 1> y2{0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0};
const xt::xtensor<double, 1> t2{0, 0, 1, 0, 0, 0, 0, 0, 0, 0};

struct Examples {
    std::vector<ExampleCheck> rows;

    void add(std::string name, std::string reference, double book, double ours,
             double tolerance = exact_to_ulps, bool relative = true) {
        rows.push_back({std::move(name), "/examples/" + std::move(reference), book, ours,
                        tolerance, relative});
    }
};

void error_functions(Examples& e) {
    e.add("sum_squared_error(y1, t)", "sum_squared_error/y1_t", 0.097500000000000031,
          sum_squares_error(y1, t2));
    e.add("sum_squared_error(y2, t)", "sum_squared_error/y2_t", 0.59750000000000003,
          sum_squares_error(y2, t2));
    e.add("cross_entropy_error(y1, t)", "cross_entropy_error_single/y1_t", 0.51082545709933802,
          cross_entropy_error(y1, t2));
    e.add("cross_entropy_error(y2, t)", "cross_entropy_error_single/y2_t", 2.3025840929945454,
          cross_entropy_error(y2, t2));
    xt::xtensor<double, 2> y({2, 10});
    xt::row(y, 0) = y1;
    xt::row(y, 1) = y2;
    const xt::xtensor<std::size_t, 1> labels{2, 2};
    e.add("cross_entropy_error([y1; y2], [2, 2])", "cross_entropy_error_batch/value",
          1.4067047750469417, cross_entropy_error(y, labels));
}

void numerical_differentiation(Examples& e) {
    e.add("numerical_diff(function_1, 5)", "numerical_diff/x=5", 0.19999999999908979,
          numerical_diff(function_1, 5.0));
    e.add("numerical_diff(function_1, 10)", "numerical_diff/x=10", 0.29999999999863469,
          numerical_diff(function_1, 10.0));

    struct Point {
        const char* key;
        const char* label;
        double x0, x1, book0, book1;
    };
    const Point points[] = {
        {"[3.0, 4.0]", "(3, 4)", 3.0, 4.0, 6.0000000000037801, 7.9999999999991189},
        {"[0.0, 2.0]", "(0, 2)", 0.0, 2.0, 0.0, 4.0000000000040004},
        {"[3.0, 0.0]", "(3, 0)", 3.0, 0.0, 6.0000000000126619, 0.0},
    };
    for (const Point& p : points) {
        xt::xtensor<double, 1> x{p.x0, p.x1};
        const xt::xtensor<double, 1> g =
            numerical_gradient(std::function<double(const xt::xtensor<double, 1>&)>(function_2), x);
        const std::string name = std::string("numerical_gradient(function_2, ") + p.label + ")";
        const std::string ref = std::string("numerical_gradient/results/") + p.key;
        e.add(name + "[0]", ref + "/0", p.book0, g(0));
        e.add(name + "[1]", ref + "/1", p.book1, g(1));
    }

    struct Descent {
        const char* key;
        double lr, book0, book1;
    };
    const Descent descents[] = {
        {"lr=0.1", 0.1, -6.1111079289987889e-10, 8.1481439053142706e-10},
        {"lr=10.0", 10.0, -25898374737328.363, -1295248616896.5398},
        {"lr=1e-10", 1e-10, -2.999999939999995, 3.9999999199999934},
    };
    for (const Descent& d : descents) {
        const GradientDescentResult r = gradient_descent(function_2, {-3.0, 4.0}, d.lr, 100);
        const std::string name = std::string("gradient_descent(") + d.key + ", 100 steps) x";
        const std::string ref = std::string("gradient_descent/results/") + d.key + "/x";
        e.add(name + "[0]", ref + "/0", d.book0, r.x(0));
        e.add(name + "[1]", ref + "/1", d.book1, r.x(1));
    }
}

void simple_net(Examples& e) {
    SimpleNet net{{{0.47355232, 0.9977393, 0.84668094}, {0.85557411, 0.03563661, 0.69422093}}};
    const xt::xtensor<double, 1> x{0.6, 0.9};
    const xt::xtensor<double, 1> t{0, 0, 1};

    const xt::xtensor<double, 1> p = net.predict(x);
    const double book_predict[] = {1.0541480910000001, 0.63071652899999997, 1.132807401};
    for (std::size_t j = 0; j < 3; ++j)
        e.add("simpleNet predict[" + std::to_string(j) + "]",
              "simpleNet/predict/" + std::to_string(j), book_predict[j], p(j));
    e.add("simpleNet argmax(predict)", "simpleNet/argmax", 2.0,
          static_cast<double>(argmax(p.data(), p.size())), 0.0);
    e.add("simpleNet loss", "simpleNet/loss", 0.92806828578640754, net.loss(x, t));

    const std::function<double(const xt::xtensor<double, 2>&)> f =
        [&](const xt::xtensor<double, 2>&) { return net.loss(x, t); };
    const xt::xtensor<double, 2> dW = numerical_gradient(f, net.W);
    const double book_dW[2][3] = {
        {0.21924757123925609, 0.14356242984070455, -0.3628100010055757},
        {0.32887135690162772, 0.21534364482433954, -0.54421500147394664}};
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            e.add("simpleNet dW[" + std::to_string(i) + "][" + std::to_string(j) + "]",
                  "simpleNet/dW/" + std::to_string(i) + "/" + std::to_string(j), book_dW[i][j],
                  dW(i, j), dW_tolerance, false);
}

}  // namespace

std::vector<ExampleCheck> chapter4_examples() {
    Examples e;
    error_functions(e);
    numerical_differentiation(e);
    simple_net(e);
    return std::move(e.rows);
}

}  // namespace mm
