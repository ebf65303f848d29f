#include <mnist_minibatch/network.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/functions.hpp>
#include <mnist_minibatch/layers.hpp>
#include <mnist_minibatch/numerical_gradient.hpp>

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

// Layer l (0-based) maps sizes[l] to sizes[l + 1]; every layer but the last is followed by the
// activation, the last by the softmax. The buffers keep their shape between calls with the same
// batch size, so a training loop allocates nothing here after its first step.
template <class T>
struct Network<T>::Impl {
    NetworkSpec spec;
    std::vector<std::size_t> sizes;
    std::vector<xt::xtensor<T, 2>> W, dW;
    std::vector<xt::xtensor<T, 1>> b, db;
    ForwardBuffers<T> buffers;
    std::vector<xt::xtensor<T, 2>> d_affine_out, d_activation_out;
    xt::xtensor<T, 2> y;  // (N, output_size)
    SparseRows<T> x_sparse;     // the last dense input, compressed
    bool sparse_first = false;  // whether the last forward pass took the sparse kernels
    ThreadPool* pool = nullptr;  // for the sparse first layer of gradient() and loss() on images

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
        d_affine_out.resize(layers);
        buffers.activation_out.resize(layers - 1);
        d_activation_out.resize(layers - 1);
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

    void forward(const xt::xtensor<T, 2>& x) {
        compress_rows(x, x_sparse);
        sparse_first = sparse_enough(x_sparse.nonzeros(), x.shape(0), x.shape(1));
        if (sparse_first)
            sparse_affine_forward(buffers.affine_out[0], x_sparse, W[0], b[0]);
        else
            affine_forward(buffers.affine_out[0], x, W[0], b[0]);
        forward_from_first_affine(buffers);
    }

    // Images too dense for the sparse kernels are gathered into buf.dense_input for the BLAS path.
    // `threads` splits the sparse first layer (nullptr: this thread only).
    void forward(const PixelRows<T>& x, ForwardBuffers<T>& buf, bool& sparse,
                 ThreadPool* threads) const {
        sparse = sparse_enough(x.nonzeros(), x.rows(), x.cols());
        if (sparse) {
            sparse_affine_forward(buf.affine_out[0], x, W[0], b[0], threads);
        } else {
            gather_images(x.split, x.items, x.count, x.table, buf.dense_input);
            affine_forward(buf.affine_out[0], buf.dense_input, W[0], b[0]);
        }
        forward_from_first_affine(buf);
    }

    BatchLoss<T> loss(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t) {
        forward(x);
        return softmax_loss_forward(y, buffers.affine_out.back(), t);
    }

    BatchLoss<T> loss(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t) {
        forward(x, buffers, sparse_first, pool);
        return softmax_loss_forward(y, buffers.affine_out.back(), t);
    }

    // Every gradient but the first layer's dW and db, leaving d(loss)/d(first affine output) in
    // d_affine_out[0]. Needs the forward pass of the same batch just before.
    void backward_to_first_layer(const xt::xtensor<std::size_t, 1>& t, LossKind trained) {
        softmax_loss_backward(d_affine_out.back(), y, t, trained);
        for (std::size_t l = layers() - 1; l > 0; --l) {
            const auto& activation = buffers.activation_out[l - 1];
            affine_backward_params(dW[l], db[l], d_affine_out[l], activation);
            affine_backward_input(d_activation_out[l - 1], d_affine_out[l], W[l]);
            if (spec.activation == Activation::sigmoid)
                sigmoid_backward(d_affine_out[l - 1], d_activation_out[l - 1], activation);
            else
                relu_backward(d_affine_out[l - 1], d_activation_out[l - 1], activation);
        }
    }

    void backward(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t,
                  LossKind trained) {
        backward_to_first_layer(t, trained);
        if (sparse_first)
            sparse_affine_backward_params(dW[0], db[0], d_affine_out[0], x_sparse);
        else
            affine_backward_params(dW[0], db[0], d_affine_out[0], x);
    }

    void backward(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t,
                  LossKind trained) {
        backward_to_first_layer(t, trained);
        if (sparse_first)
            sparse_affine_backward_params(dW[0], db[0], d_affine_out[0], x, pool);
        else
            affine_backward_params(dW[0], db[0], d_affine_out[0], buffers.dense_input);
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
    bool sparse = false;
    impl_->forward(x, buffers, sparse, nullptr);
    softmax(buffers.affine_out.back(), probabilities);
}

template <class T>
BatchLoss<T> Network<T>::loss(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t) {
    impl_->check_batch(x, t);
    return impl_->loss(x, t);
}

template <class T>
BatchLoss<T> Network<T>::gradient(const xt::xtensor<T, 2>& x,
                                  const xt::xtensor<std::size_t, 1>& t, LossKind trained) {
    impl_->check_batch(x, t);
    const BatchLoss<T> losses = impl_->loss(x, t);
    impl_->backward(x, t, trained);
    return losses;
}

template <class T>
BatchLoss<T> Network<T>::loss(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t) {
    impl_->check_batch(x, t);
    return impl_->loss(x, t);
}

template <class T>
BatchLoss<T> Network<T>::gradient(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t,
                                  LossKind trained) {
    impl_->check_batch(x, t);
    const BatchLoss<T> losses = impl_->loss(x, t);
    impl_->backward(x, t, trained);
    return losses;
}

template <class T>
BatchLoss<T> Network<T>::numerical_gradient(const xt::xtensor<T, 2>& x,
                                            const xt::xtensor<std::size_t, 1>& t,
                                            LossKind trained) {
    impl_->check_batch(x, t);
    const BatchLoss<T> losses = impl_->loss(x, t);
    const std::function<T()> trained_loss = [&] { return loss_of(impl_->loss(x, t), trained); };
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
