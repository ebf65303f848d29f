// The book's ch04/train_neuralnet.py written against the library, 1000 iterations:
//   build/release/examples/book_training_loop ../shared/datasets/mnist
#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/minibatch_sampler.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    try {
        const mm::MnistDataset data = mm::load_mnist(mm::resolve_data_dir("mnist", argc > 1 ? argv[1] : ""));
        mm::NumpyRandom rng(0);  // np.random.seed(0)
        mm::Network<float> net({784, {50}, 10, mm::Activation::sigmoid});
        net.initialize(rng, mm::InitKind::normal, 0.01);  // W1, b1, W2, b2 as TwoLayerNet
        mm::MinibatchSampler sampler(rng, data.train.size(), 100, mm::Sampling::with_replacement);

        xt::xtensor<float, 2> x;
        xt::xtensor<std::size_t, 1> t;
        for (std::size_t i = 0; i < 1000; ++i) {
            const auto& batch = sampler.next();  // np.random.choice(60000, 100)
            mm::gather_images(data.train, batch.data(), batch.size(), true, x);
            mm::gather_labels(data.train, batch.data(), batch.size(), t);
            const auto loss = net.gradient(x, t, mm::LossKind::cross_entropy);
            for (const auto& p : net.parameters())  // params[key] -= learning_rate * grad[key]
                for (std::size_t k = 0; k < p.size; ++k) p.value[k] -= 0.1f * p.grad[k];
            if (i % 600 == 0) {
                const auto train = mm::evaluate(net, data.train, true);
                const auto test = mm::evaluate(net, data.test, true);
                std::printf("iteration %zu loss %.4f train acc, test acc | %.4f, %.4f\n", i,
                            loss.cross_entropy, train.accuracy(), test.accuracy());
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
