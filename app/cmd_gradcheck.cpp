// `mnist-train gradcheck [CONFIG]`: backprop against the numerical gradient on real rows, as the
// book's ch05 gradient_check.py does with x_train[:3].
#include "command_registry.hpp"

#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gradient_check.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

namespace {

struct GradcheckArgs {
    std::string config;
    std::vector<std::string> overrides;
    std::string data_dir;
    std::size_t rows = 3;
    std::string loss = "both";
    std::string dtype = "float64";
    double tolerance = 0;  // 0: the dtype's default
};

// float64: both losses agree to ~1e-9 (the cross-entropy check differentiates -log(y), the
// function the book's backprop differentiates; see check_gradient). float32: central differences
// with h = 1e-4 lose eps_f * loss / h ~ 2e-3 absolute, most of the small W1 gradients; only gross
// errors show.
double default_tolerance(const std::string& dtype) {
    return dtype == "float64" ? 1e-6 : 1.0;
}

std::string spec_text(const mm::NetworkSpec& spec) {
    std::string text = std::to_string(spec.input_size);
    for (std::size_t h : spec.hidden_sizes) text += "-" + std::to_string(h);
    return text + "-" + std::to_string(spec.output_size);
}

template <class T>
int check(const mm::Config& config, const GradcheckArgs& args) {
    const std::string dir = mm::resolve_data_dir(config.dataset.name, config.dataset.dir);
    const mm::MnistFiles files = mm::find_mnist_files(dir, config.dataset.name);
    const mm::MnistSplit train = mm::load_mnist_split(files.train_images, files.train_labels);
    if (args.rows > train.size())
        throw mm::Error("gradcheck: --rows " + std::to_string(args.rows) + " is more than the " +
                        std::to_string(train.size()) + " training images in " + dir);
    std::vector<std::size_t> indices(args.rows);
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    xt::xtensor<T, 2> x;
    xt::xtensor<std::size_t, 1> t;
    mm::gather_images(train, indices.data(), args.rows, config.dataset.normalize, x);
    mm::gather_labels(train, indices.data(), args.rows, t);

    const mm::NetworkSpec spec{train.pixels(), config.model.hidden_sizes, 10,
                               mm::parse_activation(config.model.activation)};
    mm::Network<T> network(spec);
    mm::NumpyRandom rng(config.training.seed);
    network.initialize(rng, mm::parse_init(config.model.init), config.model.weight_init_std);

    const double tolerance = args.tolerance > 0 ? args.tolerance : default_tolerance(args.dtype);
    std::printf("gradient check: %s %s, %s, init %s (weight_init_std %g), seed %u, first %zu "
                "training rows of %s\n",
                spec_text(spec).c_str(), config.model.activation.c_str(), args.dtype.c_str(),
                config.model.init.c_str(), config.model.weight_init_std, config.training.seed,
                args.rows, dir.c_str());
    std::vector<std::string> losses{args.loss};
    if (args.loss == "both") losses = {"cross_entropy", "sum_squares"};
    bool ok = true;
    for (const std::string& name : losses) {
        const mm::GradientCheck result =
            mm::check_gradient(network, x, t, mm::parse_loss(name));
        const bool passed = result.max_relative_error() <= tolerance;
        std::printf("\nloss %s = %.17g\n%s", name.c_str(), result.loss_value,
                    mm::format_gradient_check(result).c_str());
        std::printf("max relative error %.3e %s tolerance %.0e: %s\n",
                    result.max_relative_error(), passed ? "<=" : ">", tolerance,
                    passed ? "OK" : "FAILED");
        ok = ok && passed;
    }
    return ok ? 0 : 1;
}

int run(const GradcheckArgs& args) {
    mm::Config config = args.config.empty()
                                  ? mm::parse_config(nlohmann::json::object(), "(defaults)")
                                  : mm::load_config(args.config, args.overrides);
    if (!args.data_dir.empty()) config.dataset.dir = args.data_dir;
    return args.dtype == "float64" ? check<double>(config, args) : check<float>(config, args);
}

mm::app::CommandRegistration registration(35, [](CLI::App& app) {
    auto args = std::make_shared<GradcheckArgs>();
    auto* cmd = app.add_subcommand(
        "gradcheck", "Compare backprop with the numerical gradient on real MNIST rows");
    cmd->add_option("config", args->config,
                    "JSON config (architecture, activation, init, seed, dataset); default: the "
                    "built-in defaults, the book's 784-50-10 sigmoid network");
    cmd->add_option("--set", args->overrides,
                    "Override a config key, e.g. --set model.activation=relu (repeatable)")
        ->type_name("KEY.PATH=VALUE");
    cmd->add_option("--data", args->data_dir,
                    "Dataset folder (default: config dataset.dir, MNIST_DATA_DIR, datasets/mnist)")
        ->type_name("DIR");
    cmd->add_option("--rows", args->rows, "Training rows in the batch (the book uses 3)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--loss", args->loss, "Loss to check")
        ->check(CLI::IsMember({"both", "cross_entropy", "sum_squares"}))
        ->capture_default_str();
    cmd->add_option("--dtype", args->dtype,
                    "Float type of the check (float32 central differences are mostly rounding)")
        ->check(CLI::IsMember({"float32", "float64"}))
        ->capture_default_str();
    cmd->add_option("--tolerance", args->tolerance,
                    "Largest allowed relative error (default 1e-6 for float64, 1 for float32)")
        ->check(CLI::PositiveNumber);
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
