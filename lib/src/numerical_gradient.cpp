#include <mnist_minibatch/numerical_gradient.hpp>

#include <xtensor/xbuilder.hpp>


namespace mm {

double numerical_diff(const std::function<double(double)>& f, double x) {
    return (f(x + numerical_h) - f(x - numerical_h)) / (2 * numerical_h);
}

template <class T>
void numerical_gradient(const std::function<T()>& loss, T* values, std::size_t size, T* grad) {
    for (std::size_t i = 0; i < size; ++i) {
        const T saved = values[i];
        values[i] = static_cast<T>(static_cast<double>(saved) + numerical_h);
        const double plus = static_cast<double>(loss());
        values[i] = static_cast<T>(static_cast<double>(saved) - numerical_h);
        const double minus = static_cast<double>(loss());
        values[i] = saved;
        grad[i] = static_cast<T>((plus - minus) / (2 * numerical_h));
    }
}

template <class T, std::size_t N>
xt::xtensor<T, N> numerical_gradient(const std::function<T(const xt::xtensor<T, N>&)>& f,
                                     xt::xtensor<T, N>& x) {
    xt::xtensor<T, N> grad = xt::zeros<T>(x.shape());
    numerical_gradient<T>([&f, &x] { return f(x); }, x.data(), x.size(), grad.data());
    return grad;
}

GradientDescentResult gradient_descent(const std::function<double(const xt::xtensor<double, 1>&)>& f,
                                       const xt::xtensor<double, 1>& init_x, double lr,
                                       std::size_t step_num) {
    GradientDescentResult result{init_x, {}};
    result.history.reserve(step_num);
    for (std::size_t i = 0; i < step_num; ++i) {
        result.history.push_back(result.x);
        const xt::xtensor<double, 1> grad = numerical_gradient(f, result.x);
        result.x -= lr * grad;
    }
    return result;
}

template void numerical_gradient<float>(const std::function<float()>&, float*, std::size_t, float*);
template void numerical_gradient<double>(const std::function<double()>&, double*, std::size_t,
                                         double*);
template xt::xtensor<double, 1> numerical_gradient<double, 1>(
    const std::function<double(const xt::xtensor<double, 1>&)>&, xt::xtensor<double, 1>&);
template xt::xtensor<double, 2> numerical_gradient<double, 2>(
    const std::function<double(const xt::xtensor<double, 2>&)>&, xt::xtensor<double, 2>&);
template xt::xtensor<float, 1> numerical_gradient<float, 1>(
    const std::function<float(const xt::xtensor<float, 1>&)>&, xt::xtensor<float, 1>&);
template xt::xtensor<float, 2> numerical_gradient<float, 2>(
    const std::function<float(const xt::xtensor<float, 2>&)>&, xt::xtensor<float, 2>&);

}  // namespace mm
