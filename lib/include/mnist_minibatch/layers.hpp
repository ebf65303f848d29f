#pragma once
// The network's layers as forward/backward pairs of free functions, each pair side by side with
// the shapes in its signature (N = batch rows). Outputs come first and are resized only when
// their shape differs, so buffers kept by the caller are reused without allocation.
#include <mnist_minibatch/loss.hpp>

#include <xtensor/xtensor.hpp>

#include <cstddef>

namespace mm {

// Fully connected: out (N, out) = x (N, in) . W (in, out) + b (out).
template <class T>
void affine_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& x,
                    const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b);
// dW (in, out) = x^T . dout;  db (out) = sum of the rows of dout (N, out).
template <class T>
void affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                            const xt::xtensor<T, 2>& dout, const xt::xtensor<T, 2>& x);
// db (out) = sum of the rows of dout (N, out); shared by the dense and the sparse first layer.
template <class T>
void bias_gradient(xt::xtensor<T, 1>& db, const xt::xtensor<T, 2>& dout);
// dx (N, in) = dout (N, out) . W^T. Separate from the parameters' gradient because the first
// layer does not need it.
template <class T>
void affine_backward_input(xt::xtensor<T, 2>& dx, const xt::xtensor<T, 2>& dout,
                           const xt::xtensor<T, 2>& W);

// Sigmoid: out (N, D) = sigmoid(a);  da (N, D) = (1 - out) * out * dout, from the forward output.
template <class T>
void sigmoid_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& a);
template <class T>
void sigmoid_backward(xt::xtensor<T, 2>& da, const xt::xtensor<T, 2>& dout,
                      const xt::xtensor<T, 2>& out);

// ReLU: out (N, D) = max(a, 0);  da (N, D) = dout where out > 0, else 0 (out > 0 iff a > 0).
template <class T>
void relu_forward(xt::xtensor<T, 2>& out, const xt::xtensor<T, 2>& a);
template <class T>
void relu_backward(xt::xtensor<T, 2>& da, const xt::xtensor<T, 2>& dout,
                   const xt::xtensor<T, 2>& out);

// Softmax and loss: y (N, K) = softmax(logits (N, K)); returns both batch-averaged losses
// against class indices t (N).
template <class T>
BatchLoss<T> softmax_loss_forward(xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& logits,
                                  const xt::xtensor<std::size_t, 1>& t);
// dlogits (R, K) = d(loss)/d(logits) from y (R, K) and t (R), rows of a batch of N rows (all of
// them when R = N):
//   cross entropy:  (y - onehot(t)) / N;
//   sum of squares: with g = (y - onehot(t)) / N = dE/dy, the softmax Jacobian
//                   dy_k/da_j = y_k (delta_kj - y_j) gives dE/da_j = y_j (g_j - sum_k g_k y_k).
template <class T>
void softmax_loss_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& y,
                           const xt::xtensor<std::size_t, 1>& t, LossKind loss,
                           std::size_t batch_size);

}  // namespace mm
