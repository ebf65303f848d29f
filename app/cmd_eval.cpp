#include "command_registry.hpp"
#include "model_data.hpp"

#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/model_file.hpp>

#include <cstdio>
#include <memory>

namespace {

struct EvalArgs {
    std::string model;
    std::string data_dir;
    std::string split = "test";
};

std::string describe(const mm::ModelMeta& meta) {
    std::string arch = std::to_string(meta.spec.input_size);
    for (auto h : meta.spec.hidden_sizes) arch += "-" + std::to_string(h);
    arch += "-" + std::to_string(meta.spec.output_size);
    return arch + " " + (meta.spec.activation == mm::Activation::relu ? "relu" : "sigmoid") +
           ", " + meta.dtype + ", trained on " + meta.dataset;
}

void print_report(const mm::EvaluationResult& r) {
    std::printf("accuracy %.4f (%zu/%zu)\n", r.accuracy(), r.correct, r.total);
    std::printf("cross-entropy loss %.6f, sum-of-squares loss %.6f (averaged over the split)\n\n",
                r.cross_entropy, r.sum_squares);
    const std::size_t k = r.num_classes;
    std::printf("per-class accuracy:\n");
    for (std::size_t c = 0; c < k; ++c) {
        std::size_t row_total = 0;
        for (std::size_t p = 0; p < k; ++p) row_total += r.confusion[c * k + p];
        const std::size_t hits = r.confusion[c * k + c];
        std::printf("  %2zu  %.4f  (%zu/%zu)\n", c,
                    row_total ? static_cast<double>(hits) / row_total : 0.0, hits, row_total);
    }
    std::printf("\nconfusion matrix (rows: true label, columns: predicted):\n     ");
    for (std::size_t p = 0; p < k; ++p) std::printf("%6zu", p);
    std::printf("\n");
    for (std::size_t c = 0; c < k; ++c) {
        std::printf("  %2zu ", c);
        for (std::size_t p = 0; p < k; ++p) std::printf("%6zu", r.confusion[c * k + p]);
        std::printf("\n");
    }
}

int run(const EvalArgs& args) {
    mm::LoadedModel model = mm::load_model(args.model);
    std::string dir;
    const mm::MnistSplit split =
        mm::app::load_split_for_model(model.meta, args.data_dir, args.split, dir);
    std::printf("model: %s (%s)\ndata: %s, %s split, %zu items\n\n", args.model.c_str(),
                describe(model.meta).c_str(), dir.c_str(), args.split.c_str(), split.size());
    const mm::EvaluationResult result = std::visit(
        [&](auto& network) { return mm::evaluate(*network, split, model.meta.normalize); },
        model.network);
    print_report(result);
    return 0;
}

mm::app::CommandRegistration registration(50, [](CLI::App& app) {
    auto args = std::make_shared<EvalArgs>();
    auto* cmd = app.add_subcommand(
        "eval", "Accuracy, loss, per-class accuracy and confusion matrix of a saved model");
    cmd->add_option("model", args->model, "Model file (model.json of a run)")->required();
    cmd->add_option("--data", args->data_dir, "Dataset directory (default: as for training)");
    cmd->add_option("--split", args->split, "Which split to evaluate")
        ->check(CLI::IsMember({"test", "train"}))
        ->capture_default_str();
    return std::function<int()>([args] { return run(*args); });
});

}  // namespace
