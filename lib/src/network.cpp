#include <mnist_minibatch/network.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/functions.hpp>
#include <mnist_minibatch/layers.hpp>
#include <mnist_minibatch/numerical_gradient.hpp>

#include <xtensor/xnoalias.hpp>

#include <algorithm>
#include <cmath>

namespace mm {

Activation parse_activation(const std::string& name) {
    if (name == "sigmoid") return Activation::sigmoid;
    if (name == "relu") return Activation::relu;
    throw Error("unknown activation \"" + name + "\"; expected \"sigmoid\" or \"relu\"");
}

LossKind parse_loss(const std::string& name) {
    if (name == "cross_entropy") return LossKind::cross_entropy;
    if (name == "sum_squares") return LossKind::sum_squares;
    throw Error("unknown loss \"" + name + "\"; expected \"cross_entropy\" or \"sum_squares\"");
}

InitKind parse_init(const std::string& name) {
    if (name == "normal") return InitKind::normal;
    if (name == "he") return InitKind::he;
    if (name == "xavier") return InitKind::xavier;
    throw Error("unknown init \"" + name + "\"; expected \"normal\", \"he\" or \"xavier\"");
}

namespace {

template <class T>
T loss_of(const BatchLoss<T>& loss, LossKind kind) {
    return kind == LossKind::cross_entropy ? loss.cross_entropy : loss.sum_squares;
}

}  // namespace

// Up to this fraction of nonzero inputs the first layer runs over the nonzero entries only
// (sparse_input.hpp); denser inputs go through the BLAS products. MNIST batches are about 19%
// nonzero; the sparse kernels are ahead of sgemm/dgemm up to about half (bench/micro_kernels.cpp).
constexpr double kMaxSparseFraction = 0.5;

// Rows per block in loss() and gradient(): each block of a batch runs every layer after the first
// layer's affine part, forward and backward, on its own buffers, so that the blocks can run on the
// pool's threads. The blocks depend only on the batch size, so the results do not depend on the
// threads; 50 gives the chapter's batches of 100 one block per core of a 2-core machine.
constexpr std::size_t kRowsPerBlock = 50;

// Layer l (0-based) maps sizes[l] to sizes[l + 1]; every layer but the last is followed by the
// activation, the last by the softmax. The buffers keep their shape between calls with the same
// batch size, so a training loop allocates nothing here after its first step.
template <class T>
struct Network<T>::Impl {
    NetworkSpec spec;
    std::vector<std::size_t> sizes;
    std::vector<xt::xtensor<T, 2>> W, dW;
    std::vector<xt::xtensor<T, 1>> b, db;
    // Rows [first, first + rows) of a batch, with the buffers of its forward and backward pass.
    // dW[l] and db[l] (l >= 1) are this block's part of the batch's gradients.
    struct RowBlock {
        std::size_t first = 0, rows = 0;
        xt::xtensor<std::size_t, 1> t;
        ForwardBuffers<T> buffers;
        xt::xtensor<T, 2> y;
        std::vector<xt::xtensor<T, 2>> d_affine_out, d_activation_out, dW;
        std::vector<xt::xtensor<T, 1>> db;
    };

    ForwardBuffers<T> buffers;  // the whole batch's forward pass (predict, count_correct)
    std::vector<RowBlock> blocks;
    xt::xtensor<T, 2> y;               // (N, output_size), from the blocks in loss() and gradient()
    xt::xtensor<T, 2> d_first_affine;  // (N, sizes[1]): d(loss)/d(first affine output)
    SparseRows<T> x_sparse;     // the last dense input, compressed
    bool sparse_first = false;  // whether the last forward pass took the sparse kernels
    ThreadPool* pool = nullptr;  // for the blocks of loss() and gradient() and the first layer

    explicit Impl(const NetworkSpec& s) : spec(s) {
        sizes.push_back(s.input_size);
        sizes.insert(sizes.end(), s.hidden_sizes.begin(), s.hidden_sizes.end());
        sizes.push_back(s.output_size);
        for (std::size_t i = 0; i < sizes.size(); ++i)
            if (sizes[i] == 0)
                throw Error("network layer sizes " + sizes_text() + ": size " +
                            std::to_string(i) + " is 0; every layer needs at least one unit");
        const std::size_t layers = sizes.size() - 1;
        for (std::size_t l = 0; l < layers; ++l) {
            W.push_back(xt::zeros<T>({sizes[l], sizes[l + 1]}));
            dW.push_back(xt::zeros<T>({sizes[l], sizes[l + 1]}));
            b.push_back(xt::zeros<T>({sizes[l + 1]}));
            db.push_back(xt::zeros<T>({sizes[l + 1]}));
        }
        buffers.affine_out.resize(layers);
        buffers.activation_out.resize(layers - 1);
    }

    std::string sizes_text() const {
        std::string text;
        for (std::size_t i = 0; i < sizes.size(); ++i)
            text += (i ? "-" : "") + std::to_string(sizes[i]);
        return text;
    }

    std::size_t layers() const { return W.size(); }

    void check_input(std::size_t rows, std::size_t cols) const {
        if (rows == 0 || cols != spec.input_size)
            throw Error("network input x has shape (" + std::to_string(rows) + ", " +
                        std::to_string(cols) + "); expected (N, " +
                        std::to_string(spec.input_size) + ") with N >= 1");
    }

    void check_input(const xt::xtensor<T, 2>& x) const { check_input(x.shape(0), x.shape(1)); }

    void check_input(const PixelRows<T>& x) const {
        check_input(x.rows(), x.cols());
        if (!indexes(x.nonzero, x.split))
            throw Error("network input: the nonzero pixel index was not found for the batch's "
                        "split (" + std::to_string(x.nonzero.images()) + " images of " +
                        std::to_string(x.nonzero.pixel_counts.size()) + " pixels; the split has " +
                        std::to_string(x.split.size()) + " of " +
                        std::to_string(x.split.pixels()) + ")");
        for (std::size_t r = 0; r < x.rows(); ++r)
            if (x.items[r] >= x.split.size())
                throw Error("network input: batch item " + std::to_string(r) + " is image " +
                            std::to_string(x.items[r]) + "; the split has " +
                            std::to_string(x.split.size()));
    }

    void check_batch(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t) const {
        check_input(x);
        check_targets(t, x.shape(0));
    }

    void check_batch(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t) const {
        check_input(x);
        check_targets(t, x.rows());
    }

    void check_targets(const xt::xtensor<std::size_t, 1>& t, std::size_t rows) const {
        if (t.size() != rows)
            throw Error("network targets t have " + std::to_string(t.size()) +
                        " entries; expected one per input row (" + std::to_string(rows) + ")");
        for (std::size_t r = 0; r < t.size(); ++r)
            if (t(r) >= spec.output_size)
                throw Error("network target t[" + std::to_string(r) + "] is " +
                            std::to_string(t(r)) + "; expected a class index below " +
                            std::to_string(spec.output_size));
    }

    // Every layer after the first layer's affine part, whose output is in buf.affine_out[0];
    // leaves the logits in buf.affine_out.back().
    void forward_from_first_affine(ForwardBuffers<T>& buf) const {
        for (std::size_t l = 0; l < layers(); ++l) {
            if (l > 0) affine_forward(buf.affine_out[l], buf.activation_out[l - 1], W[l], b[l]);
            if (l + 1 == layers()) break;
            if (spec.activation == Activation::sigmoid)
                sigmoid_forward(buf.activation_out[l], buf.affine_out[l]);
            else
                relu_forward(buf.activation_out[l], buf.affine_out[l]);
        }
    }

    static bool sparse_enough(std::size_t nonzeros, std::size_t rows, std::size_t cols) {
        return static_cast<double>(nonzeros) <=
               kMaxSparseFraction * static_cast<double>(rows) * static_cast<double>(cols);
    }

    // The first layer's affine output for dense rows x into buffers.affine_out[0].
    void first_affine(const xt::xtensor<T, 2>& x) {
        compress_rows(x, x_sparse);
        sparse_first = sparse_enough(x_sparse.nonzeros(), x.shape(0), x.shape(1));
        if (sparse_first)
            sparse_affine_forward(buffers.affine_out[0], x_sparse, W[0], b[0]);
        else
            affine_forward(buffers.affine_out[0], x, W[0], b[0]);
    }

    void forward(const xt::xtensor<T, 2>& x) {
        first_affine(x);
        forward_from_first_affine(buffers);
    }

    // Images too dense for the sparse kernels: gathered into buf.dense_input for the BLAS path.
    void dense_first_affine(const PixelRows<T>& x, ForwardBuffers<T>& buf) const {
        gather_images(x.split, x.items, x.count, x.table, buf.dense_input);
        affine_forward(buf.affine_out[0], buf.dense_input, W[0], b[0]);
    }

    void forward(const PixelRows<T>& x, ForwardBuffers<T>& buf) const {
        if (sparse_enough(x.nonzeros(), x.rows(), x.cols()))
            sparse_affine_forward(buf.affine_out[0], x, W[0], b[0]);
        else
            dense_first_affine(x, buf);
        forward_from_first_affine(buf);
    }

    void cut_blocks(const xt::xtensor<std::size_t, 1>& t) {
        const std::size_t n = t.size(), count = (n + kRowsPerBlock - 1) / kRowsPerBlock;
        blocks.resize(count);
        for (std::size_t k = 0; k < count; ++k) {
            RowBlock& block = blocks[k];
            block.first = n * k / count;
            block.rows = n * (k + 1) / count - block.first;
            if (block.t.size() != block.rows) block.t.resize({block.rows});
            std::copy_n(t.data() + block.first, block.rows, block.t.data());
            block.buffers.affine_out.resize(layers());
            block.buffers.activation_out.resize(layers() - 1);
            block.d_affine_out.resize(layers());
            block.d_activation_out.resize(layers() - 1);
            block.dW.resize(layers());
            block.db.resize(layers());
        }
    }

    // Block rows [first, first + rows) of `from` into `to`, or the other way round.
    static void copy_rows(const xt::xtensor<T, 2>& from, std::size_t first, std::size_t rows,
                          xt::xtensor<T, 2>& to) {
        const std::size_t m = from.shape(1);
        if (to.shape(0) != rows || to.shape(1) != m) to.resize({rows, m});
        std::copy_n(from.data() + first * m, rows * m, to.data());
    }
    static void copy_rows_back(const xt::xtensor<T, 2>& from, std::size_t first,
                               xt::xtensor<T, 2>& to) {
        std::copy_n(from.data(), from.size(), to.data() + first * from.shape(1));
    }

    // Every gradient of the block but the first layer's, leaving d(loss)/d(first affine output)
    // in block.d_affine_out[0]. Needs the block's forward pass just before.
    void backward_block(RowBlock& block, LossKind trained, std::size_t batch_size) const {
        softmax_loss_backward(block.d_affine_out.back(), block.y, block.t, trained, batch_size);
        for (std::size_t l = layers() - 1; l > 0; --l) {
            const auto& activation = block.buffers.activation_out[l - 1];
            affine_backward_params(block.dW[l], block.db[l], block.d_affine_out[l], activation);
            affine_backward_input(block.d_activation_out[l - 1], block.d_affine_out[l], W[l]);
            if (spec.activation == Activation::sigmoid)
                sigmoid_backward(block.d_affine_out[l - 1], block.d_activation_out[l - 1],
                                 activation);
            else
                relu_backward(block.d_affine_out[l - 1], block.d_activation_out[l - 1], activation);
        }
    }

    // Every block on the pool's threads: `first_affine_of(block)` fills the block's first affine
    // output, then the rest of the forward pass and, with `trained`, the backward pass down to
    // d_first_affine. The blocks' gradients are summed in block order. Returns the batch's losses.
    template <class FirstAffine>
    BatchLoss<T> run_blocks(const xt::xtensor<std::size_t, 1>& t,
                            const FirstAffine& first_affine_of, const LossKind* trained) {
        const std::size_t n = t.size();
        cut_blocks(t);
        if (y.shape(0) != n || y.shape(1) != spec.output_size) y.resize({n, spec.output_size});
        if (trained && (d_first_affine.shape(0) != n || d_first_affine.shape(1) != sizes[1]))
            d_first_affine.resize({n, sizes[1]});
        run_parts(pool, [&](std::size_t p, std::size_t parts) {
            for (std::size_t k = p; k < blocks.size(); k += parts) {
                RowBlock& block = blocks[k];
                first_affine_of(block);
                forward_from_first_affine(block.buffers);
                softmax(block.buffers.affine_out.back(), block.y);
                copy_rows_back(block.y, block.first, y);
                if (!trained) continue;
                backward_block(block, *trained, n);
                copy_rows_back(block.d_affine_out[0], block.first, d_first_affine);
            }
        });
        if (trained)
            for (std::size_t l = 1; l < layers(); ++l) {
                dW[l] = blocks[0].dW[l];
                db[l] = blocks[0].db[l];
                for (std::size_t k = 1; k < blocks.size(); ++k) {
                    xt::noalias(dW[l]) += blocks[k].dW[l];
                    xt::noalias(db[l]) += blocks[k].db[l];
                }
            }
        return batch_loss(y, t);
    }

    // The first affine output computed for the whole batch into buffers.affine_out[0], taken
    // block by block.
    auto from_whole_batch() const {
        return [this](RowBlock& block) {
            copy_rows(buffers.affine_out[0], block.first, block.rows,
                      block.buffers.affine_out[0]);
        };
    }

    // The first layer's dW and db from d_first_affine: over `sparse` when the forward pass took
    // the sparse kernels, else over the dense rows.
    template <class Sparse>
    void first_layer_backward(const Sparse& sparse, const xt::xtensor<T, 2>& dense) {
        if (sparse_first)
            sparse_affine_backward_params(dW[0], db[0], d_first_affine, sparse, pool);
        else
            affine_backward_params(dW[0], db[0], d_first_affine, dense);
    }

    BatchLoss<T> pass(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t,
                      const LossKind* trained) {
        first_affine(x);
        const BatchLoss<T> losses = run_blocks(t, from_whole_batch(), trained);
        if (trained) first_layer_backward(x_sparse, x);
        return losses;
    }

    // The sparse first layer runs in the blocks, on their threads: each row's sums are the same
    // whichever rows it is computed with.
    BatchLoss<T> pass(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t,
                      const LossKind* trained) {
        sparse_first = sparse_enough(x.nonzeros(), x.rows(), x.cols());
        BatchLoss<T> losses;
        if (sparse_first) {
            losses = run_blocks(
                t,
                [&](RowBlock& block) {
                    const PixelRows<T> rows{x.split, x.nonzero, x.items + block.first, block.rows,
                                            x.table};
                    sparse_affine_forward(block.buffers.affine_out[0], rows, W[0], b[0]);
                },
                trained);
        } else {
            dense_first_affine(x, buffers);
            losses = run_blocks(t, from_whole_batch(), trained);
        }
        if (trained) first_layer_backward(x, buffers.dense_input);
        return losses;
    }
};

template <class T>
Network<T>::Network(const NetworkSpec& spec) : impl_(std::make_unique<Impl>(spec)) {}

template <class T>
Network<T>::~Network() = default;

template <class T>
Network<T>::Network(const Network& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}

template <class T>
Network<T>& Network<T>::operator=(const Network& other) {
    if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
    return *this;
}

template <class T>
Network<T>::Network(Network&& other) noexcept = default;

template <class T>
Network<T>& Network<T>::operator=(Network&& other) noexcept = default;

template <class T>
const NetworkSpec& Network<T>::spec() const {
    return impl_->spec;
}

template <class T>
void Network<T>::initialize(NumpyRandom& rng, InitKind init, double weight_init_std) {
    for (std::size_t l = 0; l < impl_->layers(); ++l) {
        const double fan_in = static_cast<double>(impl_->sizes[l]);
        const double scale = init == InitKind::normal ? weight_init_std
                             : init == InitKind::he   ? std::sqrt(2.0 / fan_in)
                                                      : std::sqrt(1.0 / fan_in);
        for (T& w : impl_->W[l]) w = static_cast<T>(scale * rng.standard_normal());
        impl_->b[l].fill(T(0));
    }
}

template <class T>
void Network<T>::set_thread_pool(ThreadPool* pool) {
    impl_->pool = pool;
}

template <class T>
std::vector<Parameter<T>> Network<T>::parameters() {
    std::vector<Parameter<T>> params;
    for (std::size_t l = 0; l < impl_->layers(); ++l) {
        const std::string number = std::to_string(l + 1);
        auto& W = impl_->W[l];
        auto& b = impl_->b[l];
        params.push_back({"W" + number, {W.shape(0), W.shape(1)}, W.data(),
                          impl_->dW[l].data(), W.size()});
        params.push_back({"b" + number, {b.shape(0)}, b.data(), impl_->db[l].data(), b.size()});
    }
    return params;
}

template <class T>
void Network<T>::predict(const xt::xtensor<T, 2>& x, xt::xtensor<T, 2>& probabilities) {
    impl_->check_input(x);
    impl_->forward(x);
    softmax(impl_->buffers.affine_out.back(), probabilities);
}

template <class T>
void Network<T>::predict(const PixelRows<T>& x, xt::xtensor<T, 2>& probabilities,
                         ForwardBuffers<T>& buffers) const {
    impl_->check_input(x);
    buffers.affine_out.resize(impl_->layers());
    buffers.activation_out.resize(impl_->layers() - 1);
    impl_->forward(x, buffers);
    softmax(buffers.affine_out.back(), probabilities);
}

template <class T>
BatchLoss<T> Network<T>::loss(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t) {
    impl_->check_batch(x, t);
    return impl_->pass(x, t, nullptr);
}

template <class T>
BatchLoss<T> Network<T>::gradient(const xt::xtensor<T, 2>& x,
                                  const xt::xtensor<std::size_t, 1>& t, LossKind trained) {
    impl_->check_batch(x, t);
    return impl_->pass(x, t, &trained);
}

template <class T>
BatchLoss<T> Network<T>::loss(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t) {
    impl_->check_batch(x, t);
    return impl_->pass(x, t, nullptr);
}

template <class T>
BatchLoss<T> Network<T>::gradient(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t,
                                  LossKind trained) {
    impl_->check_batch(x, t);
    return impl_->pass(x, t, &trained);
}

template <class T>
BatchLoss<T> Network<T>::numerical_gradient(const xt::xtensor<T, 2>& x,
                                            const xt::xtensor<std::size_t, 1>& t,
                                            LossKind trained) {
    impl_->check_batch(x, t);
    const BatchLoss<T> losses = impl_->pass(x, t, nullptr);
    const std::function<T()> trained_loss = [&] {
        return loss_of(impl_->pass(x, t, nullptr), trained);
    };
    for (const Parameter<T>& p : parameters())
        mm::numerical_gradient(trained_loss, p.value, p.size, p.grad);
    return losses;
}

template <class T>
std::size_t Network<T>::count_correct(const xt::xtensor<T, 2>& x,
                                      const xt::xtensor<std::size_t, 1>& t) {
    impl_->check_batch(x, t);
    impl_->forward(x);
    softmax(impl_->buffers.affine_out.back(), impl_->y);
    const std::size_t k = impl_->spec.output_size;
    std::size_t correct = 0;
    for (std::size_t r = 0; r < t.size(); ++r)
        correct += argmax(impl_->y.data() + r * k, k) == t(r) ? 1 : 0;
    return correct;
}

template class Network<float>;
template class Network<double>;

}  // namespace mm
