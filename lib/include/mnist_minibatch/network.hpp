#pragma once
// The softmax classifier of the chapter: a stack of fully connected layers (zero hidden layers is
// softmax regression, one is the book's TwoLayerNet) with a softmax output and a loss on top. The
// network only wires the layers together; the math lives in functions, loss and layers.
#include <mnist_minibatch/loss.hpp>
#include <mnist_minibatch/numpy_random.hpp>
#include <mnist_minibatch/sparse_input.hpp>

#include <xtensor/xtensor.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace mm {

enum class Activation { sigmoid, relu };
enum class InitKind { normal, he, xavier };

Activation parse_activation(const std::string& name);  // throws mm::Error on unknown names
LossKind parse_loss(const std::string& name);
InitKind parse_init(const std::string& name);

struct NetworkSpec {
    std::size_t input_size = 784;
    std::vector<std::size_t> hidden_sizes{50};
    std::size_t output_size = 10;
    Activation activation = Activation::sigmoid;
};

// A view of one parameter tensor (W1, b1, W2, ...) and its gradient, both contiguous in C order.
template <class T>
struct Parameter {
    std::string name;
    std::vector<std::size_t> shape;
    T* value;
    T* grad;
    std::size_t size;
};

// The activations of one forward pass: layer l's affine output and, for every layer but the last,
// its activation output, each (N, size of layer l's output).
template <class T>
struct ForwardBuffers {
    std::vector<xt::xtensor<T, 2>> affine_out, activation_out;
    xt::xtensor<T, 2> dense_input;  // PixelRows too dense for the sparse kernels, gathered
};

template <class T>
class Network {
public:
    // Throws mm::Error when a layer size is 0. Parameters start at zero until initialize().
    explicit Network(const NetworkSpec& spec);
    ~Network();
    // Copies are deep: a copy owns its own parameters and buffers.
    Network(const Network& other);
    Network& operator=(const Network& other);
    Network(Network&& other) noexcept;
    Network& operator=(Network&& other) noexcept;

    const NetworkSpec& spec() const;

    // The book's order: for each layer W (rng draws, C order) then b (zeros). "normal" draws
    // weight_init_std * randn; "he" sqrt(2/fan_in) * randn; "xavier" sqrt(1/fan_in) * randn.
    void initialize(NumpyRandom& rng, InitKind init, double weight_init_std);

    // Threads for gradient() and loss(): the batch's blocks of rows (every layer after the first
    // layer's product, and that product too on a batch of images taking the sparse kernels) and
    // the first layer's sparse weight gradient. The results do not depend on them. The pool must
    // outlive its use here; copies of the network share it. nullptr (the default) computes on
    // the calling thread.
    void set_thread_pool(ThreadPool* pool);

    // W1, b1, W2, b2, ... in that order. The pointers stay valid for the network's lifetime.
    std::vector<Parameter<T>> parameters();

    // Every method taking a batch throws mm::Error when x is not (N, input_size) with N >= 1, t
    // does not have N entries or a class index is not below output_size.

    // Softmax probabilities (N, output_size) for inputs x (N, input_size).
    void predict(const xt::xtensor<T, 2>& x, xt::xtensor<T, 2>& probabilities);

    // Both losses of the batch with class-index targets t (N), no gradient.
    BatchLoss<T> loss(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t);

    // Forward and backward pass: fills every parameter's grad with d(loss)/d(param) of the
    // `trained` loss and returns both losses of the same forward pass.
    BatchLoss<T> gradient(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t,
                          LossKind trained);

    // Same contract as gradient(), by central differences (h = 1e-4) over every parameter.
    BatchLoss<T> numerical_gradient(const xt::xtensor<T, 2>& x,
                                    const xt::xtensor<std::size_t, 1>& t, LossKind trained);

    // The same for a batch of dataset images (nonzero_pixels.hpp), read from their uint8 pixels.
    // A batch at most half nonzero takes the sparse first layer (sparse_input.hpp), a denser one
    // the BLAS products; the results equal those for the dense rows gather_images writes up to the
    // order of the first layer's sums.
    BatchLoss<T> loss(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t);
    BatchLoss<T> gradient(const PixelRows<T>& x, const xt::xtensor<std::size_t, 1>& t,
                          LossKind trained);

    // Softmax probabilities of a batch of images. Const, touching only `buffers`: threads may each
    // run it on one network with their own buffers (it never uses the thread pool). Throws
    // mm::Error when x has no rows, its images do not have input_size pixels, its index was not
    // found for its split or an item is not an image of the split (also for loss and gradient).
    void predict(const PixelRows<T>& x, xt::xtensor<T, 2>& probabilities,
                 ForwardBuffers<T>& buffers) const;

    // Number of rows whose argmax (first index on ties) equals t.
    std::size_t count_correct(const xt::xtensor<T, 2>& x, const xt::xtensor<std::size_t, 1>& t);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace mm
