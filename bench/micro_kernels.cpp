// The sparse first-layer kernels against the dense BLAS products they replace (layers.hpp), on a
// chapter-4 batch (100 x 784, 81% zeros) and a 784 x 50 weight matrix, per dtype: on compressed
// rows (compress_rows, timed on its own) and on the images read through their nonzero pixel
// index, as the trainer does. The network takes the sparse path because these show it ahead.
#include "micro_workload.hpp"

#include <mnist_minibatch/layers.hpp>
#include <mnist_minibatch/nonzero_pixels.hpp>
#include <mnist_minibatch/sparse_input.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <vector>

namespace {

template <class T>
struct FirstLayer {
    xt::xtensor<T, 2> x, W, out, dout, dW;
    xt::xtensor<T, 1> b, db;
    mm::SparseRows<T> sparse;
    mm::MnistSplit split = mm::bench::synthetic_mnist_split(1000);
    mm::NonzeroPixels nonzero = mm::find_nonzero_pixels(split);
    std::vector<std::size_t> indices =
        mm::bench::batch_indices(split.size(), mm::bench::kBatchSize, 0);
    mm::PixelRows<T> pixels{split, nonzero, indices.data(), indices.size(),
                            mm::pixel_table<T>(true)};

    FirstLayer() {
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

// The trainer's path: the batch's images read through the nonzero pixel index; the weight
// gradient on state.range(0) threads (the forward is split by the network's blocks of rows).
template <class T>
void BM_PixelForward(benchmark::State& state) {
    FirstLayer<T> f;
    for (auto _ : state) {
        mm::sparse_affine_forward(f.out, f.pixels, f.W, f.b);
        benchmark::DoNotOptimize(f.out.data());
    }
}

template <class T>
void BM_PixelWeightGradient(benchmark::State& state) {
    FirstLayer<T> f;
    mm::ThreadPool pool(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        mm::sparse_affine_backward_params(f.dW, f.db, f.dout, f.pixels, &pool);
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
BENCHMARK_TEMPLATE(BM_PixelForward, float);
BENCHMARK_TEMPLATE(BM_PixelWeightGradient, float)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_CompressRows, float);
BENCHMARK_TEMPLATE(BM_DenseForward, double);
BENCHMARK_TEMPLATE(BM_SparseForward, double);
BENCHMARK_TEMPLATE(BM_DenseWeightGradient, double);
BENCHMARK_TEMPLATE(BM_SparseWeightGradient, double);
BENCHMARK_TEMPLATE(BM_PixelForward, double);
BENCHMARK_TEMPLATE(BM_PixelWeightGradient, double)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_CompressRows, double);
