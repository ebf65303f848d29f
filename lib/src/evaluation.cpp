#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/loss.hpp>

#include <algorithm>
#include <numeric>

namespace mm {
namespace {

// Large enough to keep the matrix products efficient, small enough that the float copy of one
// block (1000 x 784) stays a few MB.
constexpr std::size_t kBlock = 1000;

}  // namespace

template <class T>
EvaluationResult evaluate(Network<T>& network, const MnistSplit& split, bool normalize,
                          std::size_t max_mistakes) {
    const std::size_t n = split.size();
    const std::size_t k = network.spec().output_size;
    EvaluationResult result;
    result.total = n;
    result.num_classes = k;
    result.confusion.assign(k * k, 0);
    std::vector<std::size_t> indices(std::min(kBlock, n));
    xt::xtensor<T, 2> x, y;
    xt::xtensor<std::size_t, 1> t;
    double cee_sum = 0, sse_sum = 0;
    for (std::size_t begin = 0; begin < n; begin += kBlock) {
        const std::size_t count = std::min(kBlock, n - begin);
        indices.resize(count);
        std::iota(indices.begin(), indices.end(), begin);
        gather_images(split, indices.data(), count, normalize, x);
        gather_labels(split, indices.data(), count, t);
        network.predict(x, y);
        const BatchLoss<T> loss = batch_loss(y, t);
        cee_sum += static_cast<double>(loss.cross_entropy) * count;
        sse_sum += static_cast<double>(loss.sum_squares) * count;
        for (std::size_t r = 0; r < count; ++r) {
            const T* row = &y(r, 0);
            const auto predicted = static_cast<std::size_t>(std::max_element(row, row + k) - row);
            const std::size_t label = t(r);
            ++result.confusion[label * k + predicted];
            if (predicted == label)
                ++result.correct;
            else if (result.mistakes.size() < max_mistakes)
                result.mistakes.push_back({begin + r, label, predicted});
        }
    }
    result.cross_entropy = n ? cee_sum / n : 0.0;
    result.sum_squares = n ? sse_sum / n : 0.0;
    return result;
}

template EvaluationResult evaluate<float>(Network<float>&, const MnistSplit&, bool, std::size_t);
template EvaluationResult evaluate<double>(Network<double>&, const MnistSplit&, bool,
                                           std::size_t);

}  // namespace mm
