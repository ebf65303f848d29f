#pragma once
// The chapter's elementwise functions and numpy's summation order. Every tensor function writes
// into `out`, resizing it only when its shape differs, so callers that keep `out` between calls
// (the network's layer buffers) allocate nothing.
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <cstddef>

namespace mm {

// The sum of term(0) .. term(n-1) in numpy's order for a contiguous run (np.sum / add.reduce):
// blocks of 8192 added left to right, each block summed pairwise with 8 accumulators. The
// reference values of the book were produced in this order, so following it makes results such
// as sum_squared_error bit-identical instead of an ulp away.
template <class T, class Term>
T pairwise_sum(std::size_t n, const Term& term);

namespace detail {

template <class T, class Term>
T pairwise_block(std::size_t begin, std::size_t n, const Term& term) {
    if (n < 8) {
        T sum = T(-0.0);
        for (std::size_t i = 0; i < n; ++i) sum += term(begin + i);
        return sum;
    }
    if (n <= 128) {
        T r[8];
        for (std::size_t j = 0; j < 8; ++j) r[j] = term(begin + j);
        std::size_t i = 8;
        for (; i < n - n % 8; i += 8)
            for (std::size_t j = 0; j < 8; ++j) r[j] += term(begin + i + j);
        T sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) sum += term(begin + i);
        return sum;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return pairwise_block<T>(begin, half, term) + pairwise_block<T>(begin + half, n - half, term);
}

}  // namespace detail

template <class T, class Term>
T pairwise_sum(std::size_t n, const Term& term) {
    constexpr std::size_t block = 8192;
    T sum = T(-0.0);
    for (std::size_t begin = 0; begin < n; begin += block)
        sum += detail::pairwise_block<T>(begin, std::min(block, n - begin), term);
    return sum;
}

// out = x.
template <class T, std::size_t N>
void identity(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out);

// out = 1 / (1 + exp(-x)), evaluated as e / (1 + e) with e = exp(x) for negative x so that exp
// never overflows; for x >= 0 it is the book's formula bit for bit. This scalar form with libm's
// exp is the reference; the tensor form computes the same two formulas with xsimd's vector exp,
// which agrees with libm's to within 2 ulp (tests/unit/functions.cpp measures it) except that
// results below the smallest normal number (x below about -87 in float32, -708 in float64) are
// flushed to 0.
template <class T>
T sigmoid(T x);
template <class T, std::size_t N>
void sigmoid(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out);

// out = max(x, 0).
template <class T, std::size_t N>
void relu(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out);

// Softmax over the last axis, of one sample (K) or of each row of a batch (N, K): the row max is
// subtracted before exp (no overflow for large logits) and the row sum is numpy's pairwise sum.
template <class T, std::size_t N>
void softmax(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out);

// Index of the largest of values[0..n) (the first one on ties), like np.argmax.
template <class T>
std::size_t argmax(const T* values, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(values, values + n) - values);
}

}  // namespace mm
