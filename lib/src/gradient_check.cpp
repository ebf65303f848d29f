#include <mnist_minibatch/gradient_check.hpp>
#include <mnist_minibatch/numerical_gradient.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mm {

double GradientCheck::max_relative_error() const {
    double worst = 0;
    for (const auto& p : parameters) worst = std::max(worst, p.relative_error);
    return worst;
}

namespace {

// Backprop's cross-entropy gradient is the book's (y - t)/N, the exact gradient of
// -1/N sum log(y_t). The reported loss adds 1e-7 inside the log only to keep log(0) finite; that
// shrinks its gradient by y_t/(y_t + 1e-7), about 1e-6 relative for an untrained network's
// y_t ~ 0.1. So the numerical side differentiates the function backprop differentiates.
template <class T>
void numerical_log_likelihood_gradient(Network<T>& network, const xt::xtensor<T, 2>& x,
                                       const xt::xtensor<std::size_t, 1>& t) {
    xt::xtensor<T, 2> y;
    const std::function<T()> loss = [&] {
        network.predict(x, y);
        T sum = 0;
        for (std::size_t r = 0; r < t.size(); ++r) sum -= std::log(y(r, t(r)));
        return sum / static_cast<T>(t.size());
    };
    for (const Parameter<T>& p : network.parameters())
        numerical_gradient<T>(loss, p.value, p.size, p.grad);
}

}  // namespace

template <class T>
GradientCheck check_gradient(Network<T>& network, const xt::xtensor<T, 2>& x,
                             const xt::xtensor<std::size_t, 1>& t, LossKind loss) {
    const BatchLoss<T> losses = network.gradient(x, t, loss);
    std::vector<std::vector<T>> backprop;
    for (const Parameter<T>& p : network.parameters())
        backprop.emplace_back(p.grad, p.grad + p.size);
    if (loss == LossKind::cross_entropy)
        numerical_log_likelihood_gradient(network, x, t);
    else
        network.numerical_gradient(x, t, loss);

    GradientCheck check{loss,
                        static_cast<double>(loss == LossKind::cross_entropy ? losses.cross_entropy
                                                                            : losses.sum_squares),
                        {}};
    const std::vector<Parameter<T>> params = network.parameters();
    for (std::size_t k = 0; k < params.size(); ++k) {
        const Parameter<T>& p = params[k];
        ParameterGradientError e{p.name, p.shape, 0.0, 0.0, 0.0};
        for (std::size_t i = 0; i < p.size; ++i) {
            const double a = backprop[k][i], n = p.grad[i];
            e.max_abs_error = std::max(e.max_abs_error, std::abs(a - n));
            e.max_abs_gradient = std::max({e.max_abs_gradient, std::abs(a), std::abs(n)});
        }
        e.relative_error = e.max_abs_gradient > 0 ? e.max_abs_error / e.max_abs_gradient : 0.0;
        check.parameters.push_back(e);
    }
    return check;
}

std::string format_gradient_check(const GradientCheck& check) {
    std::string out;
    char line[160];
    std::snprintf(line, sizeof line, "%-9s  %-10s  %14s  %14s  %14s\n", "parameter", "shape",
                  "max |error|", "max |gradient|", "relative error");
    out += line;
    for (const auto& p : check.parameters) {
        std::string shape;
        for (std::size_t i = 0; i < p.shape.size(); ++i)
            shape += (i ? "x" : "") + std::to_string(p.shape[i]);
        std::snprintf(line, sizeof line, "%-9s  %-10s  %14.3e  %14.3e  %14.3e\n", p.name.c_str(),
                      shape.c_str(), p.max_abs_error, p.max_abs_gradient, p.relative_error);
        out += line;
    }
    return out;
}

template GradientCheck check_gradient<float>(Network<float>&, const xt::xtensor<float, 2>&,
                                             const xt::xtensor<std::size_t, 1>&, LossKind);
template GradientCheck check_gradient<double>(Network<double>&, const xt::xtensor<double, 2>&,
                                              const xt::xtensor<std::size_t, 1>&, LossKind);

}  // namespace mm
