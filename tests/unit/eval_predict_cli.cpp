#include <catch2/catch.hpp>

#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/trainer.hpp>

#include "mnist_train_cli.hpp"
#include "synthetic_mnist.hpp"
#include "temp_dir.hpp"

using Catch::Contains;
using mm::test::mnist_train;

namespace {

// A model trained on the synthetic 8x8 dataset, as `mnist-train train` leaves it.
struct TrainedModel {
    mm::test::TempDir tmp;
    std::string data = tmp.path();
    std::string model = tmp.file("run/model.json");

    TrainedModel() {
        mm::test::write_synthetic_mnist(data);
        mm::Config c;
        c.dataset.dir = data;
        c.model.hidden_sizes = {16};
        c.optimizer.learning_rate = 2.0;
        c.training.iterations = 200;
        c.training.batch_size = 20;
        c.output.dir = tmp.file("run");
        mm::TrainOptions options;
        options.quiet = true;
        options.plots = false;
        mm::train(c, options);
    }
};

}  // namespace

TEST_CASE("mnist-train eval reports accuracy, per-class accuracy and the confusion matrix", "[cli][eval]") {
    TrainedModel m;
    const auto r = mnist_train("eval '" + m.model + "' --data '" + m.data + "'");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Contains("64-16-10 sigmoid, float32") && Contains("test split, 100 items") &&
                             Contains("per-class accuracy:") && Contains("confusion matrix"));
    const auto train = mnist_train("eval '" + m.model + "' --data '" + m.data + "' --split train");
    CHECK(train.exit_code == 0);
    CHECK_THAT(train.output, Contains("train split, 300 items"));
}

TEST_CASE("mnist-train predict gives class probabilities for a dataset item and an image", "[cli][predict]") {
    TrainedModel m;
    const auto item = mnist_train("predict '" + m.model + "' --index 3 --data '" + m.data + "'");
    INFO(item.output);
    CHECK(item.exit_code == 0);
    CHECK_THAT(item.output, Contains("test item 3, label") && Contains("predicted: "));

    // Class 2 of the synthetic data: a bright bar on row 2, columns 0..3.
    std::string pixels(64, '\0');
    for (int c = 0; c < 4; ++c) pixels[2 * 8 + c] = static_cast<char>(255);
    const std::string image = m.tmp.write("two.pgm", "P5 8 8 255\n" + pixels);
    const auto r = mnist_train("predict '" + m.model + "' '" + image + "'");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Contains("predicted: 2"));
}

TEST_CASE("eval and predict refuse bad models and inputs with one clear message", "[cli][eval][predict]") {
    TrainedModel m;
    const std::string text = mm::test::read_text(m.model);
    // The file ends "}\n": cutting the closing brace is the first cut that loses content.
    const std::string truncated = m.tmp.write("truncated.json", text.substr(0, text.size() - 2));
    const auto r = mnist_train("eval '" + truncated + "' --data '" + m.data + "'");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Contains("truncated.json") && Contains("not a valid model file"));

    const std::string wrong_size = m.tmp.write("big.pgm", "P5 28 28 255\n" + std::string(784, '\0'));
    const auto big = mnist_train("predict '" + m.model + "' '" + wrong_size + "'");
    CHECK(big.exit_code == 1);
    CHECK_THAT(big.output, Contains("big.pgm") && Contains("expects 64 pixels"));

    const auto index = mnist_train("predict '" + m.model + "' --index 100 --data '" + m.data + "'");
    CHECK(index.exit_code == 1);
    CHECK_THAT(index.output, Contains("--index: expected an index below 100"));

    const auto neither = mnist_train("predict '" + m.model + "'");
    CHECK(neither.exit_code != 0);
    CHECK_THAT(neither.output, Contains("give an IMAGE file or --index N"));
}
