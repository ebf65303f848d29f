#include <mnist_minibatch/sparse_input.hpp>

#include <mnist_minibatch/layers.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>

namespace mm {
namespace {

// One compressed input row: count entries, entry i at column(i) with value(i). Two layouts feed
// the same kernels: ValueRow (columns and values stored, from compress_rows) and PixelRow (16-bit
// columns of a NonzeroPixels index, values read from the uint8 image through the pixel table).
template <class T>
struct ValueRow {
    const std::uint32_t* columns;
    const T* values;
    std::size_t count;
    std::size_t column(std::size_t i) const { return columns[i]; }
    T value(std::size_t i) const { return values[i]; }
};

template <class T>
struct PixelRow {
    const std::uint16_t* columns;
    const std::uint8_t* pixels;
    const T* table;
    std::size_t count;
    std::size_t column(std::size_t i) const { return columns[i]; }
    T value(std::size_t i) const { return table[pixels[columns[i]]]; }
};

template <class T>
ValueRow<T> row_of(const SparseRows<T>& x, std::size_t r) {
    const std::size_t first = x.row_start[r];
    return {x.column.data() + first, x.value.data() + first, x.row_start[r + 1] - first};
}

template <class T>
PixelRow<T> row_of(const PixelRows<T>& x, std::size_t r) {
    const std::size_t item = x.items[r];
    return {x.nonzero.column.data() + x.nonzero.row_start[item],
            x.split.images.data() + item * x.split.pixels(), x.table.data(),
            x.nonzero.count(item)};
}

// acc (M) = sum over i of value(i) * W row column(i) (M). Columns go in lanes of one xsimd
// register, up to 8 lanes at a time kept in registers across all i (an accumulator in memory
// would chain every step through a store and a load). A last partial lane is shifted left to end
// at the last column: the columns it shares with the lane before get the same sums in the same
// order, so writing them twice writes the same bits. Written with xsimd rather than left to the
// auto-vectorizer, which vectorizes the loop over i with gathers instead.
template <class T, std::size_t Lanes, class Row>
__attribute__((always_inline)) inline void accumulate_lanes(const Row& row,
                                                            const T* __restrict W, std::size_t m,
                                                            std::size_t first, std::size_t width,
                                                            T* __restrict acc) {
    using B = xsimd::batch<T>;
    constexpr std::size_t L = B::size;
    std::size_t offset[Lanes];
    B sum[Lanes];
    for (std::size_t lane = 0; lane < Lanes; ++lane) {
        offset[lane] = first + std::min(lane * L, width - L);
        sum[lane] = B(T(0));
    }
    for (std::size_t i = 0; i < row.count; ++i) {
        const B v(row.value(i));
        const T* w = W + row.column(i) * m;
#pragma GCC unroll 8
        for (std::size_t lane = 0; lane < Lanes; ++lane)
            sum[lane] += v * B::load_unaligned(w + offset[lane]);
    }
    for (std::size_t lane = 0; lane < Lanes; ++lane) sum[lane].store_unaligned(acc + offset[lane]);
}

template <class T, class Row>
void accumulate(const Row& row, const T* __restrict W, std::size_t m, T* __restrict acc) {
    constexpr std::size_t L = xsimd::batch<T>::size, kMaxLanes = 8;
    if (m < L) {
        for (std::size_t k = 0; k < m; ++k) {
            T sum = T(0);
            for (std::size_t i = 0; i < row.count; ++i) sum += row.value(i) * W[row.column(i) * m + k];
            acc[k] = sum;
        }
        return;
    }
    for (std::size_t first = 0; first < m; first += kMaxLanes * L) {
        std::size_t width = std::min(kMaxLanes * L, m - first);
        if (width < L) {  // too narrow for a lane of its own: shift it left into the columns before
            first = m - L;
            width = L;
        }
        switch ((width + L - 1) / L) {
            case 1: accumulate_lanes<T, 1>(row, W, m, first, width, acc); break;
            case 2: accumulate_lanes<T, 2>(row, W, m, first, width, acc); break;
            case 3: accumulate_lanes<T, 3>(row, W, m, first, width, acc); break;
            case 4: accumulate_lanes<T, 4>(row, W, m, first, width, acc); break;
            case 5: accumulate_lanes<T, 5>(row, W, m, first, width, acc); break;
            case 6: accumulate_lanes<T, 6>(row, W, m, first, width, acc); break;
            case 7: accumulate_lanes<T, 7>(row, W, m, first, width, acc); break;
            default: accumulate_lanes<T, 8>(row, W, m, first, width, acc);
        }
    }
}

// dW row column(i) (M) += value(i) * d (M) for every i.
template <class T, class Row>
void scatter(const Row& row, const T* __restrict d, std::size_t m, T* __restrict dW) {
    using B = xsimd::batch<T>;
    constexpr std::size_t L = B::size;
    const std::size_t vector_end = m - m % L;
    for (std::size_t i = 0; i < row.count; ++i) {
        const T v = row.value(i);
        const B vb(v);
        T* w = dW + row.column(i) * m;
        for (std::size_t k = 0; k < vector_end; k += L)
            (B::load_unaligned(w + k) + vb * B::load_unaligned(d + k)).store_unaligned(w + k);
        for (std::size_t k = vector_end; k < m; ++k) w[k] += v * d[k];
    }
}

template <class T, class Rows>
void forward_rows(xt::xtensor<T, 2>& out, const Rows& x, const xt::xtensor<T, 2>& W,
                  const xt::xtensor<T, 1>& b) {
    const std::size_t n = x.rows(), m = W.shape(1);
    if (out.shape(0) != n || out.shape(1) != m) out.resize({n, m});
    for (std::size_t r = 0; r < n; ++r) {
        T* acc = out.data() + r * m;
        accumulate(row_of(x, r), W.data(), m, acc);
        for (std::size_t k = 0; k < m; ++k) acc[k] += b(k);
    }
}

template <class T, class Rows>
void backward_rows(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db, const xt::xtensor<T, 2>& dout,
                   const Rows& x, std::size_t cols) {
    const std::size_t m = dout.shape(1);
    if (dW.shape(0) != cols || dW.shape(1) != m) dW.resize({cols, m});
    dW.fill(T(0));
    for (std::size_t r = 0; r < x.rows(); ++r) scatter(row_of(x, r), dout.data() + r * m, m, dW.data());
    bias_gradient(db, dout);
}

template <class T>
void start_rows(SparseRows<T>& out, std::size_t rows, std::size_t cols) {
    out.cols = cols;
    out.row_start.resize(rows + 1);
    out.row_start[0] = 0;
    if (out.value.size() < rows * cols) {
        out.column.resize(rows * cols);
        out.value.resize(rows * cols);
    }
}

// Writes every entry at the next free slot and advances only past nonzero ones: no branch to
// mispredict on the four in five pixels that are zero.
template <class T>
void append_row(SparseRows<T>& out, std::size_t r, const T* row) {
    std::size_t next = out.row_start[r];
    std::uint32_t* column = out.column.data();
    T* value = out.value.data();
    for (std::size_t j = 0; j < out.cols; ++j) {
        column[next] = static_cast<std::uint32_t>(j);
        value[next] = row[j];
        next += row[j] != T(0) ? 1 : 0;
    }
    out.row_start[r + 1] = next;
}

}  // namespace

template <class T>
void compress_rows(const xt::xtensor<T, 2>& x, SparseRows<T>& out) {
    const std::size_t n = x.shape(0), d = x.shape(1);
    start_rows(out, n, d);
    for (std::size_t r = 0; r < n; ++r) append_row(out, r, x.data() + r * d);
}

template <class T>
void sparse_affine_forward(xt::xtensor<T, 2>& out, const SparseRows<T>& x,
                           const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b) {
    forward_rows(out, x, W, b);
}

template <class T>
void sparse_affine_forward(xt::xtensor<T, 2>& out, const PixelRows<T>& x,
                           const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b) {
    forward_rows(out, x, W, b);
}

template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const SparseRows<T>& x) {
    backward_rows(dW, db, dout, x, x.cols);
}

template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const PixelRows<T>& x) {
    backward_rows(dW, db, dout, x, x.cols());
}

#define MM_INSTANTIATE_SPARSE_INPUT(T)                                                         \
    template void compress_rows<T>(const xt::xtensor<T, 2>&, SparseRows<T>&);                  \
    template void sparse_affine_forward<T>(xt::xtensor<T, 2>&, const SparseRows<T>&,           \
                                           const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&); \
    template void sparse_affine_forward<T>(xt::xtensor<T, 2>&, const PixelRows<T>&,            \
                                           const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&); \
    template void sparse_affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,     \
                                                   const xt::xtensor<T, 2>&,                   \
                                                   const SparseRows<T>&);                      \
    template void sparse_affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,     \
                                                   const xt::xtensor<T, 2>&,                   \
                                                   const PixelRows<T>&);

MM_INSTANTIATE_SPARSE_INPUT(float)
MM_INSTANTIATE_SPARSE_INPUT(double)

}  // namespace mm
