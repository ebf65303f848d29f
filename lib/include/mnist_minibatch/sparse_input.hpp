#pragma once
// The first layer's input as compressed rows. MNIST images are about 81% zero pixels, so x . W1
// and x^T . dout over the nonzero entries only do a fifth of the dense products' work; the dense
// products (layers.hpp) stay the reference the kernels are tested against.
#include <mnist_minibatch/nonzero_pixels.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <xtensor/xtensor.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mm {

// Row r holds the pairs (column[i], value[i]) for i in [row_start[r], row_start[r + 1]), columns
// ascending. column and value keep room for a dense matrix (rows x cols) past the nonzeros(),
// so the compression writes without a branch per entry and a kept SparseRows allocates only when
// its batches grow.
template <class T>
struct SparseRows {
    std::size_t cols = 0;
    std::vector<std::size_t> row_start{0};
    std::vector<std::uint32_t> column;
    std::vector<T> value;

    std::size_t rows() const { return row_start.size() - 1; }
    std::size_t nonzeros() const { return row_start.back(); }
};

// The nonzero entries of x (N, D).
template <class T>
void compress_rows(const xt::xtensor<T, 2>& x, SparseRows<T>& out);

// out (N, M) = x (N, D) . W (D, M) + b (M); each sum runs over the row's nonzero columns in
// ascending order, and b is added last as in the dense form.
template <class T>
void sparse_affine_forward(xt::xtensor<T, 2>& out, const SparseRows<T>& x,
                           const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b);
template <class T>
void sparse_affine_forward(xt::xtensor<T, 2>& out, const PixelRows<T>& x,
                           const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b);

// With a pool the work is split over its threads; the results are the same bits for any pool size.
// dW (D, M) = x^T . dout (N, M), each entry summed over the rows in order;
// db (M) = sum of the rows of dout.
template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const SparseRows<T>& x,
                                   ThreadPool* pool = nullptr);
template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const PixelRows<T>& x,
                                   ThreadPool* pool = nullptr);

}  // namespace mm
