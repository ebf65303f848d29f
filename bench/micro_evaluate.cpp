// Evaluation over a 10000-image split (the test set's size): the chapter-4 run does 17 of these
// over 70000 images, i.e. 119 of these units.
#include "micro_workload.hpp"

#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/nonzero_pixels.hpp>

#include <benchmark/benchmark.h>

namespace {

template <class T>
void BM_Evaluate(benchmark::State& state) {
    const mm::MnistSplit split = mm::bench::synthetic_mnist_split(mm::bench::kTestSize);
    const mm::NonzeroPixels nonzero = mm::find_nonzero_pixels(split);
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    for (auto _ : state) {
        const mm::EvaluationResult result =
            mm::evaluate(network, split, nonzero, true, 0, nullptr);
        benchmark::DoNotOptimize(result.correct);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * split.size()));
}

// Indexing the split's nonzero pixels, which the trainer does once per split before training.
void BM_FindNonzeroPixels(benchmark::State& state) {
    const mm::MnistSplit split = mm::bench::synthetic_mnist_split(mm::bench::kTestSize);
    for (auto _ : state) {
        const mm::NonzeroPixels nonzero = mm::find_nonzero_pixels(split);
        benchmark::DoNotOptimize(nonzero.column.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * split.size()));
}

BENCHMARK_TEMPLATE(BM_Evaluate, float)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Evaluate, double)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindNonzeroPixels)->Unit(benchmark::kMillisecond);

}  // namespace
