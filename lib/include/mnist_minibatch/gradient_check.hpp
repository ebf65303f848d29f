#pragma once
// Backpropagation checked against the numerical gradient on one batch, per parameter tensor.
#include <mnist_minibatch/network.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace mm {

struct ParameterGradientError {
    std::string name;               // W1, b1, ...
    std::vector<std::size_t> shape;
    double max_abs_error;           // max_i |backprop_i - numerical_i|
    double max_abs_gradient;        // max_i max(|backprop_i|, |numerical_i|)
    // max_abs_error / max_abs_gradient (0 when both gradients are all zero). Relative to the
    // tensor's largest component rather than element by element: components that are exactly 0
    // in backprop (pixels that are 0 in every row) are a few 1e-13 of rounding noise
    // numerically, which would make an element-wise ratio meaningless.
    double relative_error;
};

struct GradientCheck {
    LossKind loss;
    double loss_value;  // the checked loss of the batch
    std::vector<ParameterGradientError> parameters;

    double max_relative_error() const;
};

// Runs both gradients of `loss` on the batch (x, t) and compares them; the network's grads are
// left holding the numerical gradient.
template <class T>
GradientCheck check_gradient(Network<T>& network, const xt::xtensor<T, 2>& x,
                             const xt::xtensor<std::size_t, 1>& t, LossKind loss);

// An aligned text table: parameter, shape, max |error|, max |gradient|, relative error.
std::string format_gradient_check(const GradientCheck& check);

extern template GradientCheck check_gradient<float>(Network<float>&, const xt::xtensor<float, 2>&,
                                                    const xt::xtensor<std::size_t, 1>&, LossKind);
extern template GradientCheck check_gradient<double>(Network<double>&,
                                                     const xt::xtensor<double, 2>&,
                                                     const xt::xtensor<std::size_t, 1>&, LossKind);

}  // namespace mm
