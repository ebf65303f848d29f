#include <mnist_minibatch/sparse_input.hpp>

#include <mnist_minibatch/layers.hpp>

#include <algorithm>

// Every clone does the same multiplies and adds in the same order (each column's sum runs over
// the nonzeros in order; -ffp-contract=off keeps them unfused), so all give the same bits; the
// AVX2 one is picked when the CPU has it.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define MM_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MM_VECTOR_CLONES
#endif

namespace mm {
namespace {

// acc (M) = sum over i of value[i] * W row column[i] (M). Columns go in lanes of one 32-byte
// vector register, up to 8 lanes at a time kept in registers across all i (an accumulator in
// memory would chain every step through a store and a load). A last partial lane is shifted left
// to end at the last column: the columns it shares with the lane before get the same sums in the
// same order, so writing them twice writes the same bits.
template <class T, std::size_t Lanes>
__attribute__((always_inline)) inline void accumulate_lanes(const std::uint32_t* column,
                                                            const T* value, std::size_t count,
                                                            const T* __restrict W, std::size_t m,
                                                            std::size_t first, std::size_t width,
                                                            T* __restrict acc) {
    constexpr std::size_t L = 32 / sizeof(T);
    std::size_t offset[Lanes];
    for (std::size_t lane = 0; lane < Lanes; ++lane)
        offset[lane] = first + std::min(lane * L, width - L);
    T sum[Lanes][L] = {};
    for (std::size_t i = 0; i < count; ++i) {
        const T v = value[i];
        const T* w = W + static_cast<std::size_t>(column[i]) * m;
        // Unrolled completely, so that sum lives in registers.
#pragma GCC unroll 8
        for (std::size_t lane = 0; lane < Lanes; ++lane)
#pragma GCC unroll 8
            for (std::size_t k = 0; k < L; ++k) sum[lane][k] += v * w[offset[lane] + k];
    }
    for (std::size_t lane = 0; lane < Lanes; ++lane)
        for (std::size_t k = 0; k < L; ++k) acc[offset[lane] + k] = sum[lane][k];
}

template <class T>
__attribute__((always_inline)) inline void accumulate_rows(const std::uint32_t* column,
                                                           const T* value, std::size_t count,
                                                           const T* __restrict W, std::size_t m,
                                                           T* __restrict acc) {
    constexpr std::size_t L = 32 / sizeof(T), kMaxLanes = 8;
    if (m < L) {
        for (std::size_t k = 0; k < m; ++k) {
            T sum = T(0);
            for (std::size_t i = 0; i < count; ++i)
                sum += value[i] * W[static_cast<std::size_t>(column[i]) * m + k];
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
            case 1: accumulate_lanes<T, 1>(column, value, count, W, m, first, width, acc); break;
            case 2: accumulate_lanes<T, 2>(column, value, count, W, m, first, width, acc); break;
            case 3: accumulate_lanes<T, 3>(column, value, count, W, m, first, width, acc); break;
            case 4: accumulate_lanes<T, 4>(column, value, count, W, m, first, width, acc); break;
            case 5: accumulate_lanes<T, 5>(column, value, count, W, m, first, width, acc); break;
            case 6: accumulate_lanes<T, 6>(column, value, count, W, m, first, width, acc); break;
            case 7: accumulate_lanes<T, 7>(column, value, count, W, m, first, width, acc); break;
            default: accumulate_lanes<T, 8>(column, value, count, W, m, first, width, acc);
        }
    }
}

// dW row column[i] (M) += value[i] * d (M) for every i.
template <class T>
__attribute__((always_inline)) inline void scatter_rows(const std::uint32_t* column,
                                                        const T* value, std::size_t count,
                                                        const T* __restrict d, std::size_t m,
                                                        T* __restrict dW) {
    for (std::size_t i = 0; i < count; ++i) {
        const T v = value[i];
        T* w = dW + static_cast<std::size_t>(column[i]) * m;
        for (std::size_t k = 0; k < m; ++k) w[k] += v * d[k];
    }
}

MM_VECTOR_CLONES void accumulate(const std::uint32_t* c, const float* v, std::size_t n,
                                 const float* W, std::size_t m, float* acc) {
    accumulate_rows(c, v, n, W, m, acc);
}
MM_VECTOR_CLONES void accumulate(const std::uint32_t* c, const double* v, std::size_t n,
                                 const double* W, std::size_t m, double* acc) {
    accumulate_rows(c, v, n, W, m, acc);
}
MM_VECTOR_CLONES void scatter(const std::uint32_t* c, const float* v, std::size_t n,
                              const float* d, std::size_t m, float* dW) {
    scatter_rows(c, v, n, d, m, dW);
}
MM_VECTOR_CLONES void scatter(const std::uint32_t* c, const double* v, std::size_t n,
                              const double* d, std::size_t m, double* dW) {
    scatter_rows(c, v, n, d, m, dW);
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
template <class T, class Source, class Convert>
void append_row(SparseRows<T>& out, std::size_t r, const Source* row, const Convert& convert) {
    std::size_t next = out.row_start[r];
    std::uint32_t* column = out.column.data();
    T* value = out.value.data();
    for (std::size_t j = 0; j < out.cols; ++j) {
        column[next] = static_cast<std::uint32_t>(j);
        value[next] = convert(row[j]);
        next += row[j] != Source(0) ? 1 : 0;
    }
    out.row_start[r + 1] = next;
}

}  // namespace

template <class T>
void compress_rows(const xt::xtensor<T, 2>& x, SparseRows<T>& out) {
    const std::size_t n = x.shape(0), d = x.shape(1);
    start_rows(out, n, d);
    for (std::size_t r = 0; r < n; ++r)
        append_row(out, r, x.data() + r * d, [](T v) { return v; });
}

template <class T>
void compress_images(const MnistSplit& split, std::size_t begin, std::size_t count,
                     bool normalize, SparseRows<T>& out) {
    const std::size_t d = split.pixels();
    const auto& table = pixel_table<T>(normalize);
    start_rows(out, count, d);
    for (std::size_t r = 0; r < count; ++r)
        append_row(out, r, split.images.data() + (begin + r) * d,
                   [&table](std::uint8_t p) { return table[p]; });
}

template <class T>
void sparse_affine_forward(xt::xtensor<T, 2>& out, const SparseRows<T>& x,
                           const xt::xtensor<T, 2>& W, const xt::xtensor<T, 1>& b) {
    const std::size_t n = x.rows(), m = W.shape(1);
    if (out.shape(0) != n || out.shape(1) != m) out.resize({n, m});
    for (std::size_t r = 0; r < n; ++r) {
        T* acc = out.data() + r * m;
        const std::size_t first = x.row_start[r];
        accumulate(x.column.data() + first, x.value.data() + first, x.row_start[r + 1] - first,
                   W.data(), m, acc);
        for (std::size_t k = 0; k < m; ++k) acc[k] += b(k);
    }
}

template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const SparseRows<T>& x) {
    const std::size_t m = dout.shape(1);
    if (dW.shape(0) != x.cols || dW.shape(1) != m) dW.resize({x.cols, m});
    dW.fill(T(0));
    for (std::size_t r = 0; r < x.rows(); ++r) {
        const std::size_t first = x.row_start[r];
        scatter(x.column.data() + first, x.value.data() + first, x.row_start[r + 1] - first,
                dout.data() + r * m, m, dW.data());
    }
    bias_gradient(db, dout);
}

#define MM_INSTANTIATE_SPARSE_INPUT(T)                                                         \
    template void compress_rows<T>(const xt::xtensor<T, 2>&, SparseRows<T>&);                  \
    template void compress_images<T>(const MnistSplit&, std::size_t, std::size_t, bool,        \
                                     SparseRows<T>&);                                          \
    template void sparse_affine_forward<T>(xt::xtensor<T, 2>&, const SparseRows<T>&,           \
                                           const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&); \
    template void sparse_affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,     \
                                                   const xt::xtensor<T, 2>&,                   \
                                                   const SparseRows<T>&);

MM_INSTANTIATE_SPARSE_INPUT(float)
MM_INSTANTIATE_SPARSE_INPUT(double)

}  // namespace mm
