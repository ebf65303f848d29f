#pragma once
// The chapter's two loss functions, for one sample (K) or a batch (N, K), with one-hot (or any
// probability) targets or class-index targets. Sums follow numpy's pairwise order, so the
// chapter's examples come out bit for bit.
//
// The batch forms are AVERAGED over the batch:
//   cross entropy  E = -1/N sum_n sum_k t_nk log(y_nk + 1e-7)
//   sum of squares E =  1/N * 0.5 * sum_n sum_k (y_nk - t_nk)^2
// The book's common/functions.py sum_squared_error is 0.5 * np.sum((y - t)**2) over the whole
// batch, NOT averaged; book_sum_squared_error() gives that form. Its cross_entropy_error is
// averaged, like ours.
#include <xtensor/xtensor.hpp>

#include <cstddef>

namespace mm {

enum class LossKind { cross_entropy, sum_squares };

// Batch-averaged losses of one batch: both are always reported, whichever one trains.
template <class T>
struct BatchLoss {
    T cross_entropy;
    T sum_squares;
};

// The delta that keeps log finite when a probability is exactly 0, as in the book.
inline constexpr double cross_entropy_delta = 1e-7;

// One sample: y and t both (K), or y (K) and the class index t.
template <class T>
T sum_squares_error(const xt::xtensor<T, 1>& y, const xt::xtensor<T, 1>& t);
template <class T>
T sum_squares_error(const xt::xtensor<T, 1>& y, std::size_t t);
template <class T>
T cross_entropy_error(const xt::xtensor<T, 1>& y, const xt::xtensor<T, 1>& t);
template <class T>
T cross_entropy_error(const xt::xtensor<T, 1>& y, std::size_t t);

// A batch, averaged over its N rows: y and t both (N, K), or y (N, K) and class indices t (N).
template <class T>
T sum_squares_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t);
template <class T>
T sum_squares_error(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t);
template <class T>
T cross_entropy_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t);
template <class T>
T cross_entropy_error(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t);

// The book's un-averaged 0.5 * np.sum((y - t)**2) over every element of a batch (N, K).
template <class T>
T book_sum_squared_error(const xt::xtensor<T, 2>& y, const xt::xtensor<T, 2>& t);

// Both batch-averaged losses of y (N, K) against class indices t (N).
template <class T>
BatchLoss<T> batch_loss(const xt::xtensor<T, 2>& y, const xt::xtensor<std::size_t, 1>& t);

// Every function above throws mm::Error when the shapes disagree, the batch is empty or a class
// index is not below K.

}  // namespace mm
