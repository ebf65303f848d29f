#include <catch2/catch.hpp>

#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/model_file.hpp>
#include <mnist_minibatch/trainer.hpp>

#include "synthetic_mnist.hpp"
#include "temp_dir.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

// loss.csv without its last column: elapsed_s is wall-clock time, the one value that differs
// between two runs of the same config.
std::string deterministic_columns(const std::string& csv) {
    std::istringstream in(csv);
    std::string line, out;
    while (std::getline(in, line)) out += line.substr(0, line.rfind(',')) + "\n";
    return out;
}

struct Fixture {
    mm::test::TempDir tmp;
    mm::Config config;

    Fixture() {
        mm::test::write_synthetic_mnist(tmp.path());
        config.dataset.dir = tmp.path();
        config.model.hidden_sizes = {16};
        config.optimizer.learning_rate = 2.0;  // the tiny data set learns in a few dozen steps
        config.training.iterations = 60;
        config.training.batch_size = 20;
        config.training.eval_every = 20;
        config.output.checkpoint_every = 10;
        config.output.dir = tmp.path() + "/run";
    }

    mm::TrainOptions quiet() const {
        mm::TrainOptions o;
        o.quiet = true;
        o.plots = false;
        return o;
    }

    mm::Config run_in(const std::string& name) const {
        mm::Config c = config;
        c.output.dir = tmp.path() + "/" + name;
        return c;
    }
};

}  // namespace

TEST_CASE("A run writes its config, logs, model and summary, and learns", "[trainer]") {
    Fixture f;
    REQUIRE(mm::train(f.config, f.quiet()) == mm::TrainOutcome::finished);
    const std::string dir = f.config.output.dir;
    for (const char* file : {"config.json", "loss.csv", "epochs.csv", "model.json", "summary.json"})
        CHECK(std::filesystem::exists(dir + "/" + file));
    const auto summary = nlohmann::json::parse(mm::test::read_text(dir + "/summary.json"));
    CHECK(summary["iterations"] == 60);
    CHECK(summary["final"]["test_accuracy"].get<double>() > 0.5);  // chance is 0.1
    CHECK(summary["test_confusion"].size() == 10);
    // 60 iterations: a header and 60 lines; evaluations at i = 0, 20, 40.
    const std::string loss = mm::test::read_text(dir + "/loss.csv");
    CHECK(std::count(loss.begin(), loss.end(), '\n') == 61);
    const std::string epochs = mm::test::read_text(dir + "/epochs.csv");
    CHECK(std::count(epochs.begin(), epochs.end(), '\n') == 4);
    // The saved model reloads to the accuracy the summary reports.
    const auto model = mm::load_model(dir + "/model.json");
    CHECK(model.meta.spec.hidden_sizes == std::vector<std::size_t>{16});
}

TEST_CASE("The same config and seed give identical logs and model, with 1 or 2 threads", "[trainer]") {
    Fixture f;
    for (const std::string dtype : {"float32", "float64"}) {
        SECTION(dtype) {
            f.config.model.dtype = dtype;
            auto one = f.run_in("one");
            auto two = f.run_in("two");
            auto options = f.quiet();
            mm::train(one, options);
            options.threads = 2;
            mm::train(two, options);
            CHECK(deterministic_columns(mm::test::read_text(one.output.dir + "/loss.csv")) ==
                  deterministic_columns(mm::test::read_text(two.output.dir + "/loss.csv")));
            CHECK(mm::test::read_text(one.output.dir + "/epochs.csv") == mm::test::read_text(two.output.dir + "/epochs.csv"));
            CHECK(mm::test::read_text(one.output.dir + "/model.json") == mm::test::read_text(two.output.dir + "/model.json"));
        }
    }
}

TEST_CASE("A run killed after a checkpoint resumes to the same model and logs", "[trainer]") {
    Fixture f;
    for (const std::string optimizer : {"sgd", "adam"}) {
        for (const std::string sampling : {"with_replacement", "shuffle"}) {
            SECTION(optimizer + " " + sampling) {
                f.config.optimizer.name = optimizer;
                f.config.optimizer.learning_rate = optimizer == "adam" ? 0.01 : 0.5;
                f.config.training.sampling = sampling;
                const auto whole = f.run_in("whole");
                const auto killed = f.run_in("killed");
                mm::train(whole, f.quiet());
                mm::train(killed, f.quiet());
                // What a kill -9 after the last checkpoint (iteration 50) leaves behind: logs that
                // run past the checkpoint, a half-written line, no model and no summary, and the
                // temporary file of an interrupted atomic write.
                std::filesystem::remove(killed.output.dir + "/summary.json");
                std::filesystem::remove(killed.output.dir + "/model.json");
                std::ofstream(killed.output.dir + "/loss.csv", std::ios::app) << "57,0.9,0.1";
                const std::string litter = killed.output.dir + "/checkpoint.json.aB3dE9.tmp";
                mm::test::write_text(litter, "{\"half\": ");
                REQUIRE(mm::resume(killed.output.dir, f.quiet()) == mm::TrainOutcome::finished);
                CHECK_FALSE(std::filesystem::exists(litter));
                CHECK(deterministic_columns(mm::test::read_text(whole.output.dir + "/loss.csv")) ==
                      deterministic_columns(mm::test::read_text(killed.output.dir + "/loss.csv")));
                CHECK(mm::test::read_text(whole.output.dir + "/epochs.csv") ==
                      mm::test::read_text(killed.output.dir + "/epochs.csv"));
                CHECK(mm::test::read_text(whole.output.dir + "/model.json") ==
                      mm::test::read_text(killed.output.dir + "/model.json"));
            }
        }
    }
}

TEST_CASE("An interrupted run stops with a checkpoint and resumes exactly", "[trainer]") {
    Fixture f;
    f.config.training.iterations = 200;
    f.config.output.checkpoint_every = 0;
    const auto whole = f.run_in("whole");
    const auto stopped = f.run_in("stopped");
    mm::train(whole, f.quiet());
    std::atomic<bool> interrupt{true};
    auto options = f.quiet();
    options.interrupt = &interrupt;
    // Interrupted before its first iteration: the checkpoint holds iteration 0.
    REQUIRE(mm::train(stopped, options) == mm::TrainOutcome::interrupted);
    CHECK(std::filesystem::exists(stopped.output.dir + "/checkpoint.json"));
    CHECK_FALSE(std::filesystem::exists(stopped.output.dir + "/model.json"));
    // Interrupted again at whatever iteration the flag is seen, then run to the end.
    interrupt = false;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        interrupt = true;
    });
    const auto outcome = mm::resume(stopped.output.dir, options);
    stopper.join();
    if (outcome == mm::TrainOutcome::interrupted) {
        interrupt = false;
        REQUIRE(mm::resume(stopped.output.dir, options) == mm::TrainOutcome::finished);
    }
    CHECK(deterministic_columns(mm::test::read_text(whole.output.dir + "/loss.csv")) ==
          deterministic_columns(mm::test::read_text(stopped.output.dir + "/loss.csv")));
    CHECK(mm::test::read_text(whole.output.dir + "/model.json") == mm::test::read_text(stopped.output.dir + "/model.json"));
}

TEST_CASE("A diverging run stops naming the iteration and keeps its last checkpoint", "[trainer]") {
    Fixture f;
    // relu layers are unbounded, so a huge step overflows float32 and the loss turns NaN; with
    // sigmoid the saturated units keep the loss finite however large the step.
    f.config.model.activation = "relu";
    f.config.optimizer.learning_rate = 1e20;
    f.config.output.checkpoint_every = 1;
    CHECK_THROWS_WITH(mm::train(f.config, f.quiet()),
                      Catch::Contains("diverged at iteration") && Catch::Contains("learning rate"));
    CHECK(std::filesystem::exists(f.config.output.dir + "/checkpoint.json"));
    CHECK_FALSE(std::filesystem::exists(f.config.output.dir + "/model.json"));
}

TEST_CASE("Run directories are protected from mix-ups", "[trainer]") {
    Fixture f;
    mm::train(f.config, f.quiet());
    SECTION("an earlier run is not overwritten by accident") {
        CHECK_THROWS_WITH(mm::train(f.config, f.quiet()),
                          Catch::Contains("already holds a run") && Catch::Contains("--resume"));
        auto options = f.quiet();
        options.overwrite = true;
        CHECK(mm::train(f.config, options) == mm::TrainOutcome::finished);
    }
    SECTION("a finished run is not resumed") {
        CHECK_THROWS_WITH(mm::resume(f.config.output.dir, f.quiet()), Catch::Contains("already finished"));
    }
    SECTION("a checkpoint is not resumed under a changed config") {
        std::filesystem::remove(f.config.output.dir + "/summary.json");
        auto changed = f.config;
        changed.model.hidden_sizes = {8};
        mm::write_file_atomically(f.config.output.dir + "/config.json", mm::to_json(changed).dump());
        CHECK_THROWS_WITH(mm::resume(f.config.output.dir, f.quiet()),
                          Catch::Contains("different config"));
    }
    SECTION("a missing run directory is named") {
        CHECK_THROWS_WITH(mm::resume(f.tmp.path() + "/nothing", f.quiet()),
                          Catch::Contains("nothing") && Catch::Contains("no config.json"));
    }
}

TEST_CASE("Nothing is written when the data cannot be found", "[trainer]") {
    Fixture f;
    f.config.dataset.dir = f.tmp.path() + "/no-data";
    CHECK_THROWS_AS(mm::train(f.config, f.quiet()), mm::Error);
    CHECK_FALSE(std::filesystem::exists(f.config.output.dir));
}
