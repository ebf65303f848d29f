#include <mnist_minibatch/functions.hpp>

// GCC 12's AVX-512 intrinsics initialize a register from itself (GCC bug 105593, fixed in 13),
// which -Wuninitialized reports wherever xsimd's exp inlines them on an AVX-512 build.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define MM_SILENCE_GCC_BUG_105593
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <xsimd/xsimd.hpp>
#ifdef MM_SILENCE_GCC_BUG_105593
#pragma GCC diagnostic pop
#endif
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include <algorithm>
#include <cmath>

namespace mm {

namespace {

template <class T, std::size_t N>
void resize_like(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out) {
    if (out.shape() != x.shape()) out.resize(x.shape());
}

}  // namespace

template <class T, std::size_t N>
void identity(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out) {
    xt::noalias(out) = x;
}

template <class T>
T sigmoid(T x) {
    if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
    const T e = std::exp(x);
    return e / (T(1) + e);
}

namespace {

// The scalar sigmoid's two formulas for a whole register of values at once: no branch on the
// sign (hidden units are about half negative, so a branch would mispredict every other value)
// and xsimd's vector exp instead of one libm call per value.
template <class T>
xsimd::batch<T> sigmoid_batch(const xsimd::batch<T>& x) {
    using B = xsimd::batch<T>;
    const B e = xsimd::exp(-xsimd::abs(x));
    return xsimd::select(x >= B(T(0)), B(T(1)), e) / (B(T(1)) + e);
}

}  // namespace

template <class T, std::size_t N>
void sigmoid(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out) {
    using B = xsimd::batch<T>;
    constexpr std::size_t L = B::size;
    resize_like(x, out);
    const std::size_t n = x.size();
    const T* in = x.data();
    T* result = out.data();
    std::size_t i = 0;
    for (; i + L <= n; i += L) sigmoid_batch(B::load_unaligned(in + i)).store_unaligned(result + i);
    if (i < n) {  // the tail through the same vector code, so no value depends on its position
        alignas(64) T tail[L] = {};
        std::copy(in + i, in + n, tail);
        sigmoid_batch(B::load_aligned(tail)).store_aligned(tail);
        std::copy(tail, tail + (n - i), result + i);
    }
}

template <class T, std::size_t N>
void relu(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out) {
    xt::noalias(out) = xt::maximum(x, T(0));
}

template <class T, std::size_t N>
void softmax(const xt::xtensor<T, N>& x, xt::xtensor<T, N>& out) {
    static_assert(N == 1 || N == 2, "softmax is defined for one sample or a batch of rows");
    resize_like(x, out);
    const std::size_t k = x.shape(N - 1);
    const std::size_t rows = k == 0 ? 0 : x.size() / k;
    // Row by row through raw pointers: the max, exp and pairwise sum of each row need no
    // temporary tensor, and the sum order must be numpy's.
    for (std::size_t r = 0; r < rows; ++r) {
        const T* in = x.data() + r * k;
        T* e = out.data() + r * k;
        const T m = in[argmax(in, k)];
        for (std::size_t j = 0; j < k; ++j) e[j] = std::exp(in[j] - m);
        const T s = pairwise_sum<T>(k, [e](std::size_t j) { return e[j]; });
        for (std::size_t j = 0; j < k; ++j) e[j] /= s;
    }
}

#define MM_INSTANTIATE_FUNCTIONS(T, N)                                      \
    template void identity<T, N>(const xt::xtensor<T, N>&, xt::xtensor<T, N>&); \
    template void sigmoid<T, N>(const xt::xtensor<T, N>&, xt::xtensor<T, N>&);  \
    template void relu<T, N>(const xt::xtensor<T, N>&, xt::xtensor<T, N>&);     \
    template void softmax<T, N>(const xt::xtensor<T, N>&, xt::xtensor<T, N>&);

template float sigmoid<float>(float);
template double sigmoid<double>(double);
MM_INSTANTIATE_FUNCTIONS(float, 1)
MM_INSTANTIATE_FUNCTIONS(float, 2)
MM_INSTANTIATE_FUNCTIONS(double, 1)
MM_INSTANTIATE_FUNCTIONS(double, 2)

}  // namespace mm
