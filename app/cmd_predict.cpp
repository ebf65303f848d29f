#include "command_registry.hpp"
#include "model_data.hpp"

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/image_file.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/model_file.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace {

struct PredictArgs {
    std::string model;
    std::string image;
    std::optional<std::size_t> index;
    std::string data_dir;
    std::string split = "test";
    bool invert = false;
};

constexpr int kBarWidth = 40;

template <class T>
std::vector<double> probabilities_of(mm::Network<T>& network, const mm::MnistSplit& split,
                                     std::size_t item, bool normalize) {
    xt::xtensor<T, 2> x, y;
    mm::gather_images(split, &item, 1, normalize, x);
    network.predict(x, y);
    return std::vector<double>(y.begin(), y.end());
}

// The image as a one-item split, so it goes through the same pixel conversion as training.
mm::MnistSplit image_as_split(const mm::GrayImage& img, bool invert) {
    mm::MnistSplit split;
    split.images = xt::xtensor<std::uint8_t, 3>::from_shape({1, img.rows, img.cols});
    std::copy(img.pixels.begin(), img.pixels.end(), split.images.begin());
    if (invert)
        for (auto& p : split.images) p = static_cast<std::uint8_t>(255 - p);
    split.labels = xt::xtensor<std::uint8_t, 1>::from_shape({1});
    split.labels(0) = 0;
    return split;
}

int run(const PredictArgs& args) {
    mm::LoadedModel model = mm::load_model(args.model);
    mm::MnistSplit split;
    std::size_t item = 0;
    std::optional<std::size_t> label;
    if (args.index) {
        std::string dir;
        split = mm::app::load_split_for_model(model.meta, args.data_dir, args.split, dir);
        if (*args.index >= split.size())
            throw mm::Error("--index: expected an index below " + std::to_string(split.size()) +
                            " (the " + args.split + " split's size), found " +
                            std::to_string(*args.index));
        item = *args.index;
        label = split.labels(item);
    } else {
        split = image_as_split(mm::read_gray_image(args.image), args.invert);
    }
    if (split.pixels() != model.meta.spec.input_size)
        throw mm::Error(args.image + ": the model expects " +
                        std::to_string(model.meta.spec.input_size) + " pixels (28x28 for MNIST), "
                        "found " + std::to_string(split.images.shape(2)) + "x" +
                        std::to_string(split.images.shape(1)));
    const std::vector<double> probabilities = std::visit(
        [&](auto& network) { return probabilities_of(*network, split, item, model.meta.normalize); },
        model.network);
    const auto best = static_cast<std::size_t>(
        std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
    if (label)
        std::printf("%s item %zu, label %zu\n", args.split.c_str(), item, *label);
    std::printf("predicted: %zu (probability %.4f)\n", best, probabilities[best]);
    for (std::size_t c = 0; c < probabilities.size(); ++c) {
        const int filled = static_cast<int>(probabilities[c] * kBarWidth + 0.5);
        std::printf("  %2zu  %.6f  %s\n", c, probabilities[c], std::string(filled, '#').c_str());
    }
    return 0;
}

mm::app::CommandRegistration registration(60, [](CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand(
        "predict", "Class probabilities of a 28x28 image (PGM or PNG) or a dataset item");
    cmd->add_option("model", args->model, "Model file (model.json of a run)")->required();
    auto* image = cmd->add_option("image", args->image, "Grayscale image file, white digit on black");
    auto* index = cmd->add_option("--index", args->index, "Use this item of the dataset instead");
    cmd->add_option("--data", args->data_dir, "Dataset directory (default: as for training)");
    cmd->add_option("--split", args->split, "Split for --index")
        ->check(CLI::IsMember({"test", "train"}))
        ->capture_default_str();
    cmd->add_flag("--invert", args->invert, "Invert the image first (for black digits on white)");
    image->excludes(index);
    cmd->callback([image, index] {
        if (image->count() == 0 && index->count() == 0)
            throw CLI::ValidationError("predict", "give an IMAGE file or --index N");
    });
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
