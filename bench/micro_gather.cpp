// Batch gather + convert: 100 random rows of the uint8 train images into the network's float type,
// normalised as the book does. Batches cycle through a pool so the reads miss the cache the way the
// training loop's random rows do.
#include "micro_workload.hpp"

#include <benchmark/benchmark.h>

namespace {

template <class T>
void BM_GatherImages(benchmark::State& state) {
    const mm::MnistSplit split = mm::bench::synthetic_mnist_split(mm::bench::kTrainSize);
    constexpr std::size_t pool_batches = 600;
    const std::vector<std::size_t> pool = mm::bench::batch_indices(
        mm::bench::kTrainSize, pool_batches * mm::bench::kBatchSize, 0);
    xt::xtensor<T, 2> x;
    std::size_t b = 0;
    for (auto _ : state) {
        mm::gather_images(split, pool.data() + b * mm::bench::kBatchSize, mm::bench::kBatchSize,
                          true, x);
        benchmark::DoNotOptimize(x.data());
        benchmark::ClobberMemory();
        b = (b + 1) % pool_batches;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * mm::bench::kBatchSize));
    state.counters["zero_pixels"] = mm::bench::zero_fraction(split);
}

BENCHMARK_TEMPLATE(BM_GatherImages, float);
BENCHMARK_TEMPLATE(BM_GatherImages, double);

}  // namespace
