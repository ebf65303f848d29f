#pragma once
// What every fault test starts from: a scratch directory with the synthetic dataset, a config
// that trains on it in a fraction of a second with a checkpoint every few iterations, and the
// files of the same run left uninterrupted, to compare a faulted and resumed run with.
#include "synthetic_mnist.hpp"
#include "temp_dir.hpp"
#include "train_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace mm::fault {

// loss.csv without its last column, elapsed_s: the wall clock differs from run to run.
inline std::string loss_log_without_time(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        out += line.substr(0, line.rfind(',')) + "\n";
        start = end + 1;
    }
    return out;
}

struct RunFiles {
    std::string model, loss, epochs;
    explicit RunFiles(const std::string& dir)
        : model(read_file(dir + "/model.json")),
          loss(loss_log_without_time(read_file(dir + "/loss.csv"))),
          epochs(read_file(dir + "/epochs.csv")) {}
};

// The run in `dir` ended with the same model and logs as `reference`.
inline void require_same_files(const RunFiles& reference, const std::string& dir) {
    const RunFiles after(dir);
    CHECK(after.model == reference.model);
    CHECK(after.loss == reference.loss);
    CHECK(after.epochs == reference.epochs);
}

class FaultFixture {
public:
    static constexpr int kIterations = 120;
    static constexpr int kCheckpointEvery = 4;

    FaultFixture() : data_(tmp_.path() + "/data") {
        std::filesystem::create_directories(data_);
        mm::test::write_synthetic_mnist(data_);
        config_ = write_config("config.json");
    }

    std::string path(const std::string& name) const { return tmp_.path() + "/" + name; }
    const std::string& data_dir() const { return data_; }
    const std::string& config() const { return config_; }

    // A config file for this dataset: the fixture's settings with `patch` merged in (RFC 7386);
    // output.dir is given on each run with --set.
    std::string write_config(const std::string& name,
                             const nlohmann::json& patch = nlohmann::json::object()) const {
        nlohmann::json j = {
            {"dataset", {{"dir", data_}}},
            {"model", {{"hidden_sizes", {16}}, {"dtype", "float32"}}},
            {"optimizer", {{"name", "adam"}, {"learning_rate", 0.01}}},
            {"training",
             {{"iterations", kIterations}, {"batch_size", 10}, {"sampling", "shuffle"},
              {"seed", 7}, {"eval_every", 25}}},
            {"output", {{"checkpoint_every", kCheckpointEvery}, {"plots", false}}}};
        j.merge_patch(patch);
        std::ofstream(path(name)) << j.dump(2);
        return path(name);
    }

    // `mnist-train train CONFIG --set output.dir=RUN --quiet`, with faults.
    ProcessResult train(const std::string& run, const ProcessFaults& faults = {},
                        const std::string& config = {}) const {
        return run_train({"train", config.empty() ? config_ : config, "--set",
                          "output.dir=" + run, "--quiet"},
                         path("train-output.txt"), faults);
    }
    ProcessResult resume(const std::string& run, const ProcessFaults& faults = {}) const {
        return run_train({"train", "--resume", run, "--quiet"}, path("resume-output.txt"), faults);
    }

    // `--resume RUN` runs to the end (a run stopped before its first checkpoint restarts).
    void resume_to_the_end(const std::string& run) const {
        const ProcessResult r = resume(run);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
    }

    // The files of the uninterrupted run of `config` (the fixture's by default) in `run`.
    RunFiles reference(const std::string& run = "uninterrupted",
                       const std::string& config = {}) const {
        const ProcessResult r = train(path(run), {}, config);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        return RunFiles(path(run));
    }

private:
    mm::test::TempDir tmp_;
    std::string data_;
    std::string config_;
};

}  // namespace mm::fault
