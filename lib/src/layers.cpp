#include <mnist_minibatch/layers.hpp>

#include <mnist_minibatch/functions.hpp>

#include <xtensor-blas/xblas.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xview.hpp>

namespace mm {

namespace {

template <class T>
void resize_matrix(xt::xtensor<T, 2>& m, std::size_t rows, std::size_t cols) {
    if (m.shape(0) != rows || m.shape(1) != cols) m.resize({rows, cols});
}

}  // namespace

// The products are BLAS gemm calls writing straight into the caller's buffers
// (xt::linalg::dot would allocate its result on every call).
template <class T>
void affine_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& x,
                    const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b) {
    resize_matrix(out, x.shape(0), W.shape(1));
    xt::blas::gemm(x, W, out);
    // A plain loop: through xtensor's broadcasting stepper (N, M) += (M) cost half as much time as
    // the small product itself (perf, chapter-4 run).
    const std::size_t n = out.shape(0), m = out.shape(1);
    for (std::size_t r = 0; r < n; ++r) {
        T* row = out.data() + r * m;
        for (std::size_t k = 0; k < m; ++k) row[k] += b(k);
    }
}

template <class T>
void bias_gradient(xt::xtensor<T, 1>& db, const xt::xtensor<T, 2>& dout) {
    xt::noalias(db) = xt::sum(dout, {0});
}

template <class T>
void affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                            const xt::xtensor<T, 2>& dout, const xt::xtensor<T, 2>& x) {
    resize_matrix(dW, x.shape(1), dout.shape(1));
    xt::blas::gemm(x, dout, dW, true, false);
    bias_gradient(db, dout);
}

template <class T>
void affine_backward_input(xt::xtensor<T, 2>& dx, const xt::xtensor<T, 2>& dout,
                           const xt::xtensor<T, 2>& W) {
    resize_matrix(dx, dout.shape(0), W.shape(0));
    xt::blas::gemm(dout, W, dx, false, true);
}

template <class T>
void sigmoid_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& a) {
    sigmoid(a, out);
}

template <class T>
void sigmoid_backward(xt::xtensor<T, 2>& da, const xt::xtensor<T, 2>& dout,
                      const xt::xtensor<T, 2>& out) {
    xt::noalias(da) = ((T(1) - out) * out) * dout;
}

template <class T>
void relu_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& a) {
    relu(a, out);
}

template <class T>
void relu_backward(xt::xtensor<T, 2>& da, const xt::xtensor<T, 2>& dout,
                   const xt::xtensor<T, 2>& out) {
    xt::noalias(da) = xt::where(out > T(0), dout, T(0));
}

template <class T>
BatchLoss<T> softmax_loss_forward(xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& logits,
                                  const xt::xtensor<std::size_t, 1>& t) {
    softmax(logits, y);
    return batch_loss(y, t);
}

template <class T>
void softmax_loss_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& y,
                           const xt::xtensor<std::size_t, 1>& t, LossKind loss,
                           std::size_t batch_size) {
    const std::size_t n = y.shape(0), k = y.shape(1);
    const T batch = static_cast<T>(batch_size);
    // Both losses start from g = (y - onehot(t)) / N, the book's dy, computed as the book does.
    xt::noalias(dlogits) = y;
    for (std::size_t r = 0; r < n; ++r) dlogits(r, t(r)) -= T(1);
    dlogits /= batch;
    if (loss == LossKind::cross_entropy) return;
    for (std::size_t r = 0; r < n; ++r) {
        T* g = dlogits.data() + r * k;
        const T* p = y.data() + r * k;
        const T gy = pairwise_sum<T>(k, [g, p](std::size_t j) { return g[j] * p[j]; });
        for (std::size_t j = 0; j < k; ++j) g[j] = p[j] * (g[j] - gy);
    }
}

#define MM_INSTANTIATE_LAYERS(T)                                                               \
    template void affine_forward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&,              \
                                    const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&);       \
    template void affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,            \
                                            const xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&); \
    template void bias_gradient<T>(xt::xtensor<T, 1>&, const xt::xtensor<T, 2>&);            \
    template void affine_backward_input<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&,       \
                                           const xt::xtensor<T, 2>&);                          \
    template void sigmoid_forward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&);            \
    template void sigmoid_backward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&,            \
                                      const xt::xtensor<T, 2>&);                               \
    template void relu_forward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&);               \
    template void relu_backward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&,               \
                                   const xt::xtensor<T, 2>&);                                  \
    template BatchLoss<T> softmax_loss_forward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&, \
                                                  const xt::xtensor<std::size_t, 1>&);         \
    template void softmax_loss_backward<T>(xt::xtensor<T, 2>&, const xt::xtensor<T, 2>&,       \
                                           const xt::xtensor<std::size_t, 1>&, LossKind,   \
                                           std::size_t);

MM_INSTANTIATE_LAYERS(float)
MM_INSTANTIATE_LAYERS(double)

}  // namespace mm
