#pragma once
// Numerical differentiation as in the chapter: central differences with h = 1e-4, over a scalar
// or over every element of a parameter tensor, and gradient descent driven by it.
#include <xtensor/xtensor.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace mm {

inline constexpr double numerical_h = 1e-4;

// (f(x + h) - f(x - h)) / (2h), the book's numerical_diff.
double numerical_diff(const std::function<double(double)>& f, double x);

// The book's numerical_gradient over values[0..size) in C order: each element is set to
// value + h and value - h in turn (computed in double, stored as T), `loss` is called with the
// element perturbed, and the element is restored bit for bit. grad[i] = (f+ - f-) / (2h).
template <class T>
void numerical_gradient(const std::function<T()>& loss, T* values, std::size_t size, T* grad);

// The same for a function of a whole tensor, f(x), as the book writes it; x is perturbed in
// place and restored.
template <class T, std::size_t N>
xt::xtensor<T, N> numerical_gradient(const std::function<T(const xt::xtensor<T, N>&)>& f,
                                     xt::xtensor<T, N>& x);

struct GradientDescentResult {
    xt::xtensor<double, 1> x;                     // after the last step
    std::vector<xt::xtensor<double, 1>> history;  // x before each step
};

// The book's gradient_descent: step_num times x -= lr * numerical_gradient(f, x).
GradientDescentResult gradient_descent(const std::function<double(const xt::xtensor<double, 1>&)>& f,
                                       const xt::xtensor<double, 1>& init_x, double lr,
                                       std::size_t step_num);

}  // namespace mm
