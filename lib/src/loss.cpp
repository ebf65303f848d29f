#include <mnist_minibatch/loss.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/functions.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace mm {

namespace {

template <class Shape>
std::string shape_text(const Shape& shape) {
    std::ostringstream s;
    s << '(';
    for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    s << (shape.size() == 1 ? ",)" : ")");
    return s.str();
}

template <class Y, class Tt>
void check_same_shape(const char* what, const Y& y, const Tt& t) {
    if (y.shape() != t.shape())
        throw Error(std::string(what) + ": y has shape " + shape_text(y.shape()) +
                    " but t has shape " + shape_text(t.shape()) + "; they must be equal");
    if (y.size() == 0)
        throw Error(std::string(what) + ": y has shape " + shape_text(y.shape()) +
                    "; expected at least one sample of at least one class");
}

template <class T>
void check_indices(const char* what, const xt::xtensor<T, 2>& y,
                   const xt::xtensor<std::size_t, 1>& t) {
    const std::size_t n = y.shape(0), k = y.shape(1);
    if (t.size() != n)
        throw Error(std::string(what) + ": y has " + std::to_string(n) + " rows but t has " +
                    std::to_string(t.size()) + " class indices; they must be equal");
    if (n == 0 || k == 0)
        throw Error(std::string(what) + ": y has shape " + shape_text(y.shape()) +
                    "; expected at least one sample of at least one class");
    for (std::size_t r = 0; r < n; ++r)
        if (t(r) >= k)
            throw Error(std::string(what) + ": class index t[" + std::to_string(r) + "] is " +
                        std::to_string(t(r)) + "; expected an index below the " +
                        std::to_string(k) + " classes of y");
}

template <class T>
void check_index(const char* what, const xt::xtensor<T, 1>& y, std::size_t t) {
    if (y.size() == 0)
        throw Error(std::string(what) + ": y is empty; expected at least one class");
    if (t >= y.size())
        throw Error(std::string(what) + ": class index t is " + std::to_string(t) +
                    "; expected an index below the " + std::to_string(y.size()) +
                    " classes of y");
}

// The kernels below see y as n rows of k values and a target t(row, class): the one-sample
// forms are a batch of one.

// 0.5 * sum of all squared differences, not yet averaged.
template <class T, class Target>
T half_squared_sum(const T* y, std::size_t n, std::size_t k, const Target& target) {
    const T sum = pairwise_sum<T>(n * k, [&](std::size_t i) {
        const T d = y[i] - target(i / k, i % k);
        return d * d;
    });
    return T(0.5) * sum;
}

template <class T, class Target>
T cross_entropy_kernel(const T* y, std::size_t n, std::size_t k, const Target& target) {
    const T sum = pairwise_sum<T>(n * k, [&](std::size_t i) {
        return target(i / k, i % k) * std::log(y[i] + T(cross_entropy_delta));
    });
    return -sum / static_cast<T>(n);
}

// The book's form for class indices: only the target class's log enters the sum.
template <class T, class Index>
T cross_entropy_index_kernel(const T* y, std::size_t n, std::size_t k, const Index& index) {
    const T sum = pairwise_sum<T>(n, [&](std::size_t r) {
        return std::log(y[r * k + index(r)] + T(cross_entropy_delta));
    });
    return -sum / static_cast<T>(n);
}

template <class T, std::size_t N>
auto dense(const xt::xtensor<T, N>& t, std::size_t k) {
    return [&t, k](std::size_t r, std::size_t c) { return t.data()[r * k + c]; };
}

}  // namespace

template <class T>
T sum_squares_error(const xt::xtensor<T, 1>& y, const xt::xtensor<T, 1>& t) {
    check_same_shape("sum_squares_error", y, t);
    return half_squared_sum(y.data(), 1, y.size(), dense(t, y.size()));
}

template <class T>
T sum_squares_error(const xt::xtensor<T, 1>& y, std::size_t t) {
    check_index("sum_squares_error", y, t);
    return half_squared_sum(y.data(), 1, y.size(), [t](std::size_t, std::size_t c) {
        return c == t ? T(1) : T(0);
    });
}

template <class T>
T cross_entropy_error(const xt::xtensor<T, 1>& y, const xt::xtensor<T, 1>& t) {
    check_same_shape("cross_entropy_error", y, t);
    return cross_entropy_kernel(y.data(), 1, y.size(), dense(t, y.size()));
}

template <class T>
T cross_entropy_error(const xt::xtensor<T, 1>& y, std::size_t t) {
    check_index("cross_entropy_error", y, t);
    return cross_entropy_index_kernel(y.data(), 1, y.size(), [t](std::size_t) { return t; });
}

template <class T>
T sum_squares_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t) {
    check_same_shape("sum_squares_error", y, t);
    return book_sum_squared_error(y, t) / static_cast<T>(y.shape(0));
}

// y - onehot(t) written out first: the same differences (y - 0 is y) in the same pairwise order
// as the one-hot form, without a division per element to find its row and class (a lambda
// target(i / k, i % k) took 4% of an evaluation-heavy run). The buffer is the calling thread's,
// kept from call to call, so a training loop does not allocate here.
template <class T>
T sum_squares_error(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t) {
    check_indices("sum_squares_error", y, t);
    const std::size_t n = y.shape(0), k = y.shape(1);
    thread_local std::vector<T> d;
    d.assign(y.data(), y.data() + n * k);
    for (std::size_t r = 0; r < n; ++r) d[r * k + t(r)] = y(r, t(r)) - T(1);
    const T* diff = d.data();
    const T sum = pairwise_sum<T>(n * k, [diff](std::size_t i) { return diff[i] * diff[i]; });
    return T(0.5) * sum / static_cast<T>(n);
}

template <class T>
T cross_entropy_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t) {
    check_same_shape("cross_entropy_error", y, t);
    return cross_entropy_kernel(y.data(), y.shape(0), y.shape(1), dense(t, y.shape(1)));
}

template <class T>
T cross_entropy_error(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t) {
    check_indices("cross_entropy_error", y, t);
    return cross_entropy_index_kernel(y.data(), y.shape(0), y.shape(1),
                                      [&t](std::size_t r) { return t(r); });
}

template <class T>
T book_sum_squared_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t) {
    check_same_shape("sum_squared_error", y, t);
    return half_squared_sum(y.data(), y.shape(0), y.shape(1), dense(t, y.shape(1)));
}

template <class T>
BatchLoss<T> batch_loss(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t) {
    return {cross_entropy_error(y, t), sum_squares_error(y, t)};
}

#define MM_INSTANTIATE_LOSS(T)                                                                  \
    template T sum_squares_error<T>(const xt::xtensor<T, 1>&, const xt::xtensor<T, 1>&);       \
    template T sum_squares_error<T>(const xt::xtensor<T, 1>&, std::size_t);                    \
    template T cross_entropy_error<T>(const xt::xtensor<T, 1>&, const xt::xtensor<T, 1>&);     \
    template T cross_entropy_error<T>(const xt::xtensor<T, 1>&, std::size_t);                  \
    template T sum_squares_error<T>(const xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&);       \
    template T sum_squares_error<T>(const xt::xtensor<T, 2>&,                                  \
                                    const xt::xtensor<std::size_t, 1>&);                       \
    template T cross_entropy_error<T>(const xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&);     \
    template T cross_entropy_error<T>(const xt::xtensor<T, 2>&,                                \
                                      const xt::xtensor<std::size_t, 1>&);                     \
    template T book_sum_squared_error<T>(const xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&);  \
    template BatchLoss<T> batch_loss<T>(const xt::xtensor<T, 2>&,                              \
                                        const xt::xtensor<std::size_t, 1>&);

MM_INSTANTIATE_LOSS(float)
MM_INSTANTIATE_LOSS(double)

}  // namespace mm
