// The per-iteration pieces of the chapter-4 loop at batch 100: forward (predict), forward +
// backward (gradient), the SGD update, and one whole iteration as the training loop runs it
// (draw, gradient, update, loss after the update).
#include "micro_workload.hpp"

#include <mnist_minibatch/nonzero_pixels.hpp>
#include <mnist_minibatch/numpy_random.hpp>
#include <mnist_minibatch/optimizer.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <benchmark/benchmark.h>

namespace {

using mm::bench::kBatchSize;

// One fixed batch of the synthetic train split, gathered once.
template <class T>
struct FixedBatch {
    xt::xtensor<T, 2> x;
    xt::xtensor<std::size_t, 1> t;

    FixedBatch() {
        const mm::MnistSplit split = mm::bench::synthetic_mnist_split(kBatchSize);
        const std::vector<std::size_t> rows = mm::bench::batch_indices(kBatchSize, kBatchSize, 0);
        mm::gather_images(split, rows.data(), kBatchSize, true, x);
        mm::gather_labels(split, rows.data(), kBatchSize, t);
    }
};

void count_images(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatchSize));
}

template <class T>
void BM_Predict(benchmark::State& state) {
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    const FixedBatch<T> batch;
    xt::xtensor<T, 2> y;
    for (auto _ : state) {
        network.predict(batch.x, y);
        benchmark::DoNotOptimize(y.data());
    }
    count_images(state);
}

template <class T>
void BM_Gradient(benchmark::State& state) {
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    const FixedBatch<T> batch;
    for (auto _ : state) {
        const mm::BatchLoss<T> loss =
            network.gradient(batch.x, batch.t, mm::LossKind::cross_entropy);
        benchmark::DoNotOptimize(loss);
    }
    count_images(state);
}

template <class T>
void BM_SgdUpdate(benchmark::State& state) {
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    const FixedBatch<T> batch;
    network.gradient(batch.x, batch.t, mm::LossKind::cross_entropy);
    const std::vector<mm::Parameter<T>> params = network.parameters();
    const auto optimizer = mm::make_optimizer<T>(mm::OptimizerConfig{}, params);
    std::size_t values = 0;
    for (const auto& p : params) values += p.size;
    for (auto _ : state) {
        optimizer->update(params);
        benchmark::DoNotOptimize(params.front().value);
        benchmark::ClobberMemory();
    }
    state.counters["parameters"] = static_cast<double>(values);
}

// As the trainer runs it: the batch read through the split's nonzero pixel index, the first layer
// on state.range(0) threads.
template <class T>
void BM_TrainingIteration(benchmark::State& state) {
    const mm::MnistSplit split = mm::bench::synthetic_mnist_split(mm::bench::kTrainSize);
    const mm::NonzeroPixels nonzero = mm::find_nonzero_pixels(split);
    mm::ThreadPool pool(static_cast<std::size_t>(state.range(0)));
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    network.set_thread_pool(&pool);
    const std::vector<mm::Parameter<T>> params = network.parameters();
    const auto optimizer = mm::make_optimizer<T>(mm::OptimizerConfig{}, params);
    mm::NumpyRandom rng(0);
    std::vector<std::size_t> rows(kBatchSize);
    xt::xtensor<std::size_t, 1> t;
    const mm::PixelRows<T> x{split, nonzero, rows.data(), kBatchSize, mm::pixel_table<T>(true)};
    for (auto _ : state) {
        rng.choice(split.size(), kBatchSize, rows.data());
        mm::gather_labels(split, rows.data(), kBatchSize, t);
        network.gradient(x, t, mm::LossKind::cross_entropy);
        optimizer->update(params, &pool);
        const mm::BatchLoss<T> loss = network.loss(x, t);
        benchmark::DoNotOptimize(loss);
    }
    count_images(state);
}

BENCHMARK_TEMPLATE(BM_Predict, float);
BENCHMARK_TEMPLATE(BM_Predict, double);
BENCHMARK_TEMPLATE(BM_Gradient, float);
BENCHMARK_TEMPLATE(BM_Gradient, double);
BENCHMARK_TEMPLATE(BM_SgdUpdate, float);
BENCHMARK_TEMPLATE(BM_SgdUpdate, double);
BENCHMARK_TEMPLATE(BM_TrainingIteration, float)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_TrainingIteration, double)->Arg(1)->Arg(2)->UseRealTime();

}  // namespace
