#include <mnist_minibatch/evaluation.hpp>

#include <mnist_minibatch/blas_threads.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/functions.hpp>
#include <mnist_minibatch/loss.hpp>

#include <algorithm>
#include <numeric>

namespace mm {
namespace {

// Large enough to keep the products efficient, small enough that one block's compressed rows
// (1000 images, about 150 nonzero pixels each) stay a few MB per thread.
constexpr std::size_t kBlock = 1000;

struct BlockResult {
    double cee_sum = 0, sse_sum = 0;
    std::size_t correct = 0;
    std::vector<std::size_t> confusion;
    std::vector<Mistake> mistakes;
};

// One thread's buffers, reused for all of its blocks.
template <class T>
class BlockEvaluator {
public:
    BlockEvaluator(const Network<T>& network, const MnistSplit& split,
                   const NonzeroPixels& nonzero, bool normalize, std::size_t max_mistakes)
        : network_(network), split_(split), nonzero_(nonzero), table_(pixel_table<T>(normalize)),
          max_mistakes_(max_mistakes) {}

    void run(std::size_t begin, std::size_t count, BlockResult& out) {
        const std::size_t k = network_.spec().output_size;
        indices_.resize(count);
        std::iota(indices_.begin(), indices_.end(), begin);
        gather_labels(split_, indices_.data(), count, t_);
        network_.predict(PixelRows<T>{split_, nonzero_, indices_.data(), count, table_}, y_,
                         buffers_);
        const BatchLoss<T> loss = batch_loss(y_, t_);
        out.cee_sum = static_cast<double>(loss.cross_entropy) * count;
        out.sse_sum = static_cast<double>(loss.sum_squares) * count;
        out.confusion.assign(k * k, 0);
        for (std::size_t r = 0; r < count; ++r) {
            const std::size_t predicted = argmax(&y_(r, 0), k);
            const std::size_t label = t_(r);
            ++out.confusion[label * k + predicted];
            if (predicted == label)
                ++out.correct;
            else if (out.mistakes.size() < max_mistakes_)
                out.mistakes.push_back({begin + r, label, predicted});
        }
    }

private:
    const Network<T>& network_;
    const MnistSplit& split_;
    const NonzeroPixels& nonzero_;
    const std::array<T, 256>& table_;
    std::size_t max_mistakes_;
    ForwardBuffers<T> buffers_;
    xt::xtensor<T, 2> y_;
    xt::xtensor<std::size_t, 1> t_;
    std::vector<std::size_t> indices_;
};

}  // namespace

template <class T>
EvaluationResult evaluate(const Network<T>& network, const MnistSplit& split, bool normalize,
                          std::size_t max_mistakes, std::size_t threads) {
    ThreadPool pool(threads);
    return evaluate(network, split, find_nonzero_pixels(split, &pool), normalize, max_mistakes,
                    &pool);
}

template <class T>
EvaluationResult evaluate(const Network<T>& network, const MnistSplit& split,
                          const NonzeroPixels& nonzero, bool normalize, std::size_t max_mistakes,
                          ThreadPool* pool) {
    if (!indexes(nonzero, split))
        throw Error("evaluate: the nonzero pixel index covers " +
                    std::to_string(nonzero.images()) + " images of " +
                    std::to_string(nonzero.pixel_counts.size()) + " pixels; the split has " +
                    std::to_string(split.size()) + " of " + std::to_string(split.pixels()));
    use_one_blas_thread();
    const std::size_t n = split.size();
    const std::size_t k = network.spec().output_size;
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::vector<BlockResult> results(blocks);
    run_parts(pool, [&](std::size_t p, std::size_t parts) {
        BlockEvaluator<T> evaluator(network, split, nonzero, normalize, max_mistakes);
        for (std::size_t i = p; i < blocks; i += parts)
            evaluator.run(i * kBlock, std::min(kBlock, n - i * kBlock), results[i]);
    });

    EvaluationResult result;
    result.total = n;
    result.num_classes = k;
    result.confusion.assign(k * k, 0);
    double cee_sum = 0, sse_sum = 0;
    for (const BlockResult& block : results) {
        cee_sum += block.cee_sum;
        sse_sum += block.sse_sum;
        result.correct += block.correct;
        for (std::size_t c = 0; c < k * k; ++c) result.confusion[c] += block.confusion[c];
        for (const Mistake& m : block.mistakes)
            if (result.mistakes.size() < max_mistakes) result.mistakes.push_back(m);
    }
    result.cross_entropy = n ? cee_sum / n : 0.0;
    result.sum_squares = n ? sse_sum / n : 0.0;
    return result;
}

template EvaluationResult evaluate<float>(const Network<float>&, const MnistSplit&, bool,
                                          std::size_t, std::size_t);
template EvaluationResult evaluate<double>(const Network<double>&, const MnistSplit&, bool,
                                           std::size_t, std::size_t);
template EvaluationResult evaluate<float>(const Network<float>&, const MnistSplit&,
                                          const NonzeroPixels&, bool, std::size_t, ThreadPool*);
template EvaluationResult evaluate<double>(const Network<double>&, const MnistSplit&,
                                           const NonzeroPixels&, bool, std::size_t, ThreadPool*);

}  // namespace mm
