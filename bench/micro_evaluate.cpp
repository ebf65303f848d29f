// Evaluation over a 10000-image split (the test set's size): the chapter-4 run does 17 of these
// over 70000 images, i.e. 119 of these units.
#include "micro_workload.hpp"

#include <mnist_minibatch/evaluation.hpp>

#include <benchmark/benchmark.h>

namespace {

template <class T>
void BM_Evaluate(benchmark::State& state) {
    const mm::MnistSplit split = mm::bench::synthetic_mnist_split(mm::bench::kTestSize);
    mm::Network<T> network = mm::bench::chapter4_network<T>();
    for (auto _ : state) {
        const mm::EvaluationResult result = mm::evaluate(network, split, true);
        benchmark::DoNotOptimize(result.correct);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * split.size()));
}

BENCHMARK_TEMPLATE(BM_Evaluate, float)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Evaluate, double)->Unit(benchmark::kMillisecond);

}  // namespace
