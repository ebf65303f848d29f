// The sparse first-layer kernels against the dense BLAS products they replace (layers.hpp), on a
// chapter-4 batch (100 x 784, 81% zeros) and a 784 x 50 weight matrix, per dtype. The network
// takes the sparse path because these show it ahead; compression is timed on its own.
#include "micro_workload.hpp"

#include <mnist_minibatch/layers.hpp>
#include <mnist_minibatch/sparse_input.hpp>

#include <benchmark/benchmark.h>

namespace {

template <class T>
struct FirstLayer {
    xt::xtensor<T, 2> x, W, out, dout, dW;
    xt::xtensor<T, 1> b, db;
    mm::SparseRows<T> sparse;

    FirstLayer() {
        const mm::MnistSplit split = mm::bench::synthetic_mnist_split(1000);
        const auto indices = mm::bench::batch_indices(split.size(), mm::bench::kBatchSize, 0);
        mm::gather_images(split, indices.data(), indices.size(), true, x);
        W = xt::xtensor<T, 2>::from_shape({784, 50});
        for (std::size_t i = 0; i < W.size(); ++i) W.data()[i] = static_cast<T>((i % 97) * 1e-3);
        b = xt::zeros<T>({50});
        dout = xt::xtensor<T, 2>::from_shape({mm::bench::kBatchSize, 50});
        for (std::size_t i = 0; i < dout.size(); ++i) dout.data()[i] = static_cast<T>((i % 89) * 1e-4);
        mm::compress_rows(x, sparse);
    }
};

template <class T>
void BM_DenseForward(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::affine_forward(f.out, f.x, f.W, f.b);
        benchmark::DoNotOptimize(f.out.data());
    }
}

template <class T>
void BM_SparseForward(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::sparse_affine_forward(f.out, f.sparse, f.W, f.b);
        benchmark::DoNotOptimize(f.out.data());
    }
}

template <class T>
void BM_DenseWeightGradient(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::affine_backward_params(f.dW, f.db, f.dout, f.x);
        benchmark::DoNotOptimize(f.dW.data());
    }
}

template <class T>
void BM_SparseWeightGradient(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::sparse_affine_backward_params(f.dW, f.db, f.dout, f.sparse);
        benchmark::DoNotOptimize(f.dW.data());
    }
}

template <class T>
void BM_CompressRows(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::compress_rows(f.x, f.sparse);
        benchmark::DoNotOptimize(f.sparse.value.data());
    }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_DenseForward, float);
BENCHMARK_TEMPLATE(BM_SparseForward, float);
BENCHMARK_TEMPLATE(BM_DenseWeightGradient, float);
BENCHMARK_TEMPLATE(BM_SparseWeightGradient, float);
BENCHMARK_TEMPLATE(BM_CompressRows, float);
BENCHMARK_TEMPLATE(BM_DenseForward, double);
BENCHMARK_TEMPLATE(BM_SparseForward, double);
BENCHMARK_TEMPLATE(BM_DenseWeightGradient, double);
BENCHMARK_TEMPLATE(BM_SparseWeightGradient, double);
BENCHMARK_TEMPLATE(BM_CompressRows, double);
