#pragma once
// Every small example of chapter 4, computed with this library and set next to the value the
// book's own Python code gives (numpy 1.24.2, shared/reference/chapter4_examples.json).
#include <xtensor/xtensor.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace mm {

// ch04/gradient_1d.py: 0.01 x^2 + 0.1 x.
double function_1(double x);
// ch04/gradient_2d.py: sum of squares of the elements of x.
double function_2(const xt::xtensor<double, 1>& x);

// ch04/gradient_simplenet.py: one 2x3 weight matrix, no bias, softmax and cross entropy.
struct SimpleNet {
    xt::xtensor<double, 2> W;  // (2, 3)

    xt::xtensor<double, 1> predict(const xt::xtensor<double, 1>& x) const;  // x (2) . W
    double loss(const xt::xtensor<double, 1>& x, const xt::xtensor<double, 1>& t) const;
};

struct ExampleCheck {
    std::string name;       // what was computed, e.g. "cross_entropy_error(y2, t)"
    std::string reference;  // JSON pointer of the book's value in chapter4_examples.json
    double book;            // the book's value
    double ours;
    double tolerance;       // allowed |ours - book|: relative to |book|, or absolute
    bool relative;

    double difference() const;  // ours - book
    bool passed() const;
};

// All examples in the chapter's order. Results going through exp/log are compared to 1e-15
// relative (numpy's AVX512 exp/log may differ from libm by 1 ulp); simpleNet's dW, which divides
// a loss difference by 2e-4, to 1e-9 absolute.
std::vector<ExampleCheck> chapter4_examples();

}  // namespace mm
