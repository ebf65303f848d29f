#include <catch2/catch.hpp>

#include <mnist_minibatch/book_reference.hpp>
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/trainer.hpp>

#include "temp_dir.hpp"

#include <cstdlib>

namespace {

std::string data_dir() {
    const char* dir = std::getenv("MNIST_DATA_DIR");
    if (!dir || !*dir) FAIL("MNIST_DATA_DIR is not set: the real-data tests need MNIST");
    return dir;
}

}  // namespace

TEST_CASE("The book's seed-0 and seed-1 runs are replayed: 601 losses and 2 evaluations",
          "[book_reproduction]") {
    for (const std::string seed : {"0", "1"}) {
        SECTION("seed " + seed) {
            mm::test::TempDir tmp;
            const std::string run = tmp.path() + "/run";
            const mm::Config config = mm::load_config(
                std::string(MM_SOURCE_DIR) + "/configs/chapter4-book.json",
                {"training.seed=" + seed, "training.iterations=601", "output.dir=" + run,
                 "dataset.dir=" + data_dir()});
            mm::TrainOptions options;
            options.quiet = true;
            options.plots = false;
            mm::train(config, options);
            const auto c = mm::compare_with_book(
                run, std::string(MM_REFERENCE_DIR) + "/chapter4_train_seed" + seed + ".json");
            CHECK(c.losses_compared == 601);
            CHECK(c.max_relative_loss_difference <= mm::kBookLossTolerance);
            REQUIRE(c.evaluations.size() == 2);
            for (const auto& row : c.evaluations) {
                CHECK(row.iteration == row.reference_iteration);
                CHECK(row.train_correct == row.reference_train_correct);
                CHECK(row.test_correct == row.reference_test_correct);
            }
            CHECK(c.reproduced());
        }
    }
}

TEST_CASE("A different seed does not pass for the book's run", "[book_reproduction]") {
    mm::test::TempDir tmp;
    const std::string run = tmp.path() + "/run";
    const mm::Config config = mm::load_config(
        std::string(MM_SOURCE_DIR) + "/configs/chapter4-book.json",
        {"training.seed=2", "training.iterations=20", "output.dir=" + run, "dataset.dir=" + data_dir()});
    mm::TrainOptions options;
    options.quiet = true;
    options.plots = false;
    mm::train(config, options);
    const auto c = mm::compare_with_book(run, std::string(MM_REFERENCE_DIR) + "/chapter4_train_seed0.json");
    CHECK(c.max_relative_loss_difference > 1e-6);
    CHECK_FALSE(c.reproduced());
}
