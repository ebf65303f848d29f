#include <mnist_minibatch/sparse_input.hpp>

#include <mnist_minibatch/layers.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

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
    ValueRow slice(std::size_t a, std::size_t b) const { return {columns + a, values + a, b - a}; }
};

template <class T>
struct PixelRow {
    const std::uint16_t* columns;
    const std::uint8_t* pixels;
    const T* table;
    std::size_t count;
    std::size_t column(std::size_t i) const { return columns[i]; }
    T value(std::size_t i) const { return table[pixels[columns[i]]]; }
    PixelRow slice(std::size_t a, std::size_t b) const { return {columns + a, pixels, table, b - a}; }
};

// The first entry of the row at or after column c (columns ascend).
template <class Row>
std::size_t first_at_or_after(const Row& row, std::size_t c) {
    std::size_t lo = 0, hi = row.count;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (row.column(mid) < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}


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
// register, up to 13 lanes at a time kept in registers across all i (an accumulator in memory
// would chain every step through a store and a load; 13 accumulators, the broadcast value and one
// loaded lane fill 15 of AVX2's 16 registers, and float64's 50 hidden units need 13 lanes). The
// last Tail (< kMaxTail) columns after the lanes are summed in scalars: a whole vector load for
// them would cross into the next row's cache lines, and on AVX-512 the two tail columns of 50
// hidden units cost as much as a whole lane. A wider remainder is one more lane shifted left to
// end at the last column: the columns it shares with the lane before get the same sums in the
// same order, so writing them twice writes the same bits. Every column's sum runs over i in order
// either way. Written with xsimd rather than left to the auto-vectorizer, which vectorizes the
// loop over i with gathers instead.
template <class T, std::size_t Lanes, std::size_t Tail, class Row>
void accumulate_lanes(const Row& row, const T* __restrict W, std::size_t m, std::size_t first,
                      std::size_t width, T* __restrict acc) {
    using B = xsimd::batch<T>;
    constexpr std::size_t L = B::size;
    const std::size_t lanes_width = width - Tail;
    const std::size_t tail_first = first + lanes_width;
    std::size_t offset[Lanes];
    B sum[Lanes];
    T tail_sum[Tail + 1] = {};
    for (std::size_t lane = 0; lane < Lanes; ++lane) {
        offset[lane] = first + std::min(lane * L, lanes_width - L);
        sum[lane] = B(T(0));
    }
    for (std::size_t i = 0; i < row.count; ++i) {
        const T value = row.value(i);
        const B v(value);
        const T* w = W + row.column(i) * m;
#pragma GCC unroll 13
        for (std::size_t lane = 0; lane < Lanes; ++lane)
            sum[lane] += v * B::load_unaligned(w + offset[lane]);
        for (std::size_t k = 0; k < Tail; ++k) tail_sum[k] += value * w[tail_first + k];
    }
    for (std::size_t lane = 0; lane < Lanes; ++lane) sum[lane].store_unaligned(acc + offset[lane]);
    for (std::size_t k = 0; k < Tail; ++k) acc[tail_first + k] = tail_sum[k];
}

constexpr std::size_t kMaxLanes = 13;
constexpr std::size_t kMaxTail = 4;

// accumulate_lanes for 1 .. kMaxLanes lanes and a tail of 0 .. kMaxTail - 1 columns, by
// (lane count - 1) * kMaxTail + tail.
template <class T, class Row, std::size_t... K>
constexpr auto lane_kernels(std::index_sequence<K...>) {
    return std::array{&accumulate_lanes<T, K / kMaxTail + 1, K % kMaxTail, Row>...};
}

template <class T, class Row>
void accumulate(const Row& row, const T* __restrict W, std::size_t m, T* __restrict acc) {
    constexpr std::size_t L = xsimd::batch<T>::size;
    static constexpr auto kernels =
        lane_kernels<T, Row>(std::make_index_sequence<kMaxLanes * kMaxTail>());
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
        // Scalar sums only while they fit in registers beside the lanes (AVX2 has 16): float64's
        // 50 units on AVX2 stay 13 lanes, the last one shifted.
        const std::size_t rest = width % L;
        const std::size_t tail = rest < kMaxTail && width / L + rest < kMaxLanes ? rest : 0;
        const std::size_t lanes = (width - tail + L - 1) / L;
        kernels[(lanes - 1) * kMaxTail + tail](row, W, m, first, width, acc);
    }
}

// dW row column(i) (M) += value(i) * d (M) for every i. Whole vector lanes, and the last few
// columns as one more lane ending at column M, overlapping the lane before it: both lanes are
// loaded before either is stored, so the columns they share get the same new value from both.
// (Vectorising the last columns one by one instead costs a fifth more time.)
template <class T, class Row>
void scatter(const Row& row, const T* __restrict d, std::size_t m, T* __restrict dW) {
    using B = xsimd::batch<T>;
    constexpr std::size_t L = B::size;
    if (m < L) {
        for (std::size_t i = 0; i < row.count; ++i) {
            const T v = row.value(i);
            T* w = dW + row.column(i) * m;
            for (std::size_t k = 0; k < m; ++k) w[k] += v * d[k];
        }
        return;
    }
    const std::size_t last = (m / L - 1) * L;  // the last whole lane
    const std::size_t tail = m - L;            // == last when L divides m
    for (std::size_t i = 0; i < row.count; ++i) {
        const B v(row.value(i));
        T* w = dW + row.column(i) * m;
        for (std::size_t k = 0; k < last; k += L)
            (B::load_unaligned(w + k) + v * B::load_unaligned(d + k)).store_unaligned(w + k);
        const B updated_last = B::load_unaligned(w + last) + v * B::load_unaligned(d + last);
        const B updated_tail = B::load_unaligned(w + tail) + v * B::load_unaligned(d + tail);
        updated_last.store_unaligned(w + last);
        updated_tail.store_unaligned(w + tail);
    }
}

// The parts' boundaries are cut where the running sum of weight(i) over [0, n) reaches q/parts of
// the total, so that parts take about equal work. Part p is [cut(p), cut(p + 1)).
template <class Weight>
std::pair<std::size_t, std::size_t> part_of(std::size_t n, std::size_t p, std::size_t parts,
                                            const Weight& weight) {
    if (parts == 1) return {0, n};
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weight(i);
    std::size_t begin = n, end = n;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (begin == n && sum * parts >= p * total) begin = i;
        if (p + 1 < parts && sum * parts >= (p + 1) * total) {
            end = i;
            break;
        }
        sum += weight(i);
    }
    return {std::min(begin, end), end};
}

// How often each input column is nonzero, as a guide to how the backward pass's work spreads over
// columns: the dataset's counts for images, none (an even split) for other rows.
template <class T>
std::uint64_t column_weight(const SparseRows<T>&, std::size_t) {
    return 1;
}

template <class T>
std::uint64_t column_weight(const PixelRows<T>& x, std::size_t c) {
    return x.nonzero.pixel_counts[c];
}

// Compressed rows were just written by compress_rows and are in cache.
template <class T>
std::uint32_t touch_row(const SparseRows<T>&, std::size_t) {
    return 0;
}

// One byte of every cache line of the n bytes at p, the last one included.
inline std::uint32_t touch_bytes(const std::uint8_t* p, std::size_t n) {
    constexpr std::size_t kLine = 64;
    if (n == 0) return 0;
    std::uint32_t sum = p[n - 1];
    for (std::size_t offset = 0; offset < n; offset += kLine) sum += p[offset];
    return sum;
}

// Reads one byte of every cache line of row r's pixels and index entries. A training batch's
// images are random ones of the split's 47 MB: read in this separate pass, where nothing depends
// on the loads, their cache misses overlap; inside the sums each image's misses came one after
// another, and a batch's first forward pass took twice as long as its second
// (bench/README-e2e.md). Software prefetches of the same lines, issued ahead by 2 to 100 rows,
// did not shorten it.
template <class T>
std::uint32_t touch_row(const PixelRows<T>& x, std::size_t r) {
    const std::size_t item = x.items[r];
    const auto* columns =
        reinterpret_cast<const std::uint8_t*>(x.nonzero.column.data() + x.nonzero.row_start[item]);
    return touch_bytes(x.split.images.data() + item * x.split.pixels(), x.split.pixels()) +
           touch_bytes(columns, x.nonzero.count(item) * sizeof(std::uint16_t));
}

// Rows whose inputs touch_row reads in one go: enough misses to overlap, few enough lines to stay
// in cache until their sums.
constexpr std::size_t kTouchRows = 50;

template <class Rows>
void touch_rows(const Rows& x, std::size_t first, std::size_t last) {
    std::uint32_t touched = 0;
    for (std::size_t r = first; r < last; ++r) touched += touch_row(x, r);
    volatile std::uint32_t keep = touched;  // so that the reads are not optimized away
    static_cast<void>(keep);
}

// Each row's sum runs over its nonzero columns in order, whichever rows it is computed with: the
// network computes a batch's blocks of rows on different threads (network.cpp).
template <class T, class Rows>
void forward_rows(xt::xtensor<T, 2>& out, const Rows& x, const xt::xtensor<T, 2>& W,
                  const xt::xtensor<T, 1>& b) {
    const std::size_t n = x.rows(), m = W.shape(1);
    if (out.shape(0) != n || out.shape(1) != m) out.resize({n, m});
    for (std::size_t first = 0; first < n; first += kTouchRows) {
        const std::size_t last = std::min(n, first + kTouchRows);
        touch_rows(x, first, last);
        for (std::size_t r = first; r < last; ++r) {
            T* acc = out.data() + r * m;
            accumulate(row_of(x, r), W.data(), m, acc);
            for (std::size_t k = 0; k < m; ++k) acc[k] += b(k);
        }
    }
}

// Each part owns a range of dW's rows (input columns) and adds into them over all batch rows in
// order: every entry gets the same sum in the same order for any number of parts.
template <class T, class Rows>
void backward_rows(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db, const xt::xtensor<T, 2>& dout,
                   const Rows& x, std::size_t cols, ThreadPool* pool) {
    const std::size_t m = dout.shape(1);
    if (dW.shape(0) != cols || dW.shape(1) != m) dW.resize({cols, m});
    run_parts(pool, [&](std::size_t p, std::size_t parts) {
        const auto columns =
            part_of(cols, p, parts, [&](std::size_t c) { return column_weight(x, c); });
        std::fill(dW.data() + columns.first * m, dW.data() + columns.second * m, T(0));
        for (std::size_t r = 0; r < x.rows(); ++r) {
            const auto row = row_of(x, r);
            const std::size_t a = columns.first == 0 ? 0 : first_at_or_after(row, columns.first);
            const std::size_t e =
                columns.second == cols ? row.count : first_at_or_after(row, columns.second);
            scatter(row.slice(a, e), dout.data() + r * m, m, dW.data());
        }
    });
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
                                   const xt::xtensor<T, 2>& dout, const SparseRows<T>& x,
                                   ThreadPool* pool) {
    backward_rows(dW, db, dout, x, x.cols, pool);
}

template <class T>
void sparse_affine_backward_params(xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                                   const xt::xtensor<T, 2>& dout, const PixelRows<T>& x,
                                   ThreadPool* pool) {
    backward_rows(dW, db, dout, x, x.cols(), pool);
}

#define MM_INSTANTIATE_SPARSE_INPUT(T)                                                         \
    template void compress_rows<T>(const xt::xtensor<T, 2>&, SparseRows<T>&);                  \
    template void sparse_affine_forward<T>(xt::xtensor<T, 2>&, const SparseRows<T>&,           \
                                           const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&); \
    template void sparse_affine_forward<T>(xt::xtensor<T, 2>&, const PixelRows<T>&,            \
                                           const xt::xtensor<T, 2>&, const xt::xtensor<T, 1>&); \
    template void sparse_affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,     \
                                                   const xt::xtensor<T, 2>&,                   \
                                                   const SparseRows<T>&, ThreadPool*);         \
    template void sparse_affine_backward_params<T>(xt::xtensor<T, 2>&, xt::xtensor<T, 1>&,     \
                                                   const xt::xtensor<T, 2>&,                   \
                                                   const PixelRows<T>&, ThreadPool*);

MM_INSTANTIATE_SPARSE_INPUT(float)
MM_INSTANTIATE_SPARSE_INPUT(double)

}  // namespace mm
