// A full disk, as `ulimit -f` makes one (the write fails with EFBIG once a file would pass the
// limit): one clear error naming the file, a non-zero exit, the last good checkpoint intact and
// no cut-off file under a final name. Lifting the limit and resuming then loses nothing.
#include "fault_fixture.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace {

using mm::fault::FaultFixture;
using mm::fault::ProcessFaults;
namespace fs = std::filesystem;

ProcessFaults file_size_limit(rlim_t bytes) {
    ProcessFaults faults;
    faults.file_size_limit = bytes;
    return faults;
}

void require_no_temporary_files(const std::string& run) {
    for (const auto& entry : fs::directory_iterator(run)) {
        INFO(entry.path());
        CHECK(entry.path().extension() != ".tmp");
    }
}

}  // namespace

TEST_CASE("A full disk while logging: the error names loss.csv, the checkpoint stays good", "[fault][disk]") {
    FaultFixture f;
    // The limit is per file: a small network (small checkpoints) and a long log, so that the log
    // is the file that reaches it, after several checkpoints.
    const std::string config = f.write_config(
        "long-log.json", {{"model", {{"hidden_sizes", {2}}}},
                          {"training", {{"iterations", 600}, {"eval_every", 100}}},
                          {"output", {{"checkpoint_every", 50}}}});
    const auto reference = f.reference("long-log-reference", config);
    const auto checkpoint_size = fs::file_size(f.path("long-log-reference/checkpoint.json"));
    const auto whole_loss = fs::file_size(f.path("long-log-reference/loss.csv"));
    REQUIRE(checkpoint_size * 2 < whole_loss);

    const std::string run = f.path("full");
    const auto r = f.train(run, file_size_limit(whole_loss / 2), config);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output == "mnist-train: error: cannot write log '" + run + "/loss.csv': File too large\n");
    // The log is cut back to whole lines, not left with half a line.
    const std::string loss = mm::fault::read_file(run + "/loss.csv");
    REQUIRE_FALSE(loss.empty());
    CHECK(loss.back() == '\n');
    CHECK(loss.size() <= whole_loss / 2);
    CHECK(nlohmann::json::parse(mm::fault::read_file(run + "/checkpoint.json"))["iteration"] > 0);
    CHECK_FALSE(fs::exists(run + "/model.json"));
    require_no_temporary_files(run);

    f.resume_to_the_end(run);
    mm::fault::require_same_files(reference, run);
}

TEST_CASE("A full disk while writing a checkpoint: the error names it, the last one is intact", "[fault][disk]") {
    FaultFixture f;
    const auto reference = f.reference();
    const std::string run = f.path("full");
    // A first run stops at a checkpoint (interrupt after the 5th is renamed into place).
    ProcessFaults stop;
    stop.injected = mm::fault::InjectedFault{"checkpoint.json", "rename", "interrupt", 5};
    const auto first = f.train(run, stop);
    INFO(first.output);
    REQUIRE(first.exit_code == 130);
    const std::string good = mm::fault::read_file(run + "/checkpoint.json");

    // The next checkpoint cannot be written: the limit is below its size but above the logs'.
    const auto r = f.resume(run, file_size_limit(good.size() / 2));
    INFO(r.output);
    CHECK(r.exit_code == 1);
    // "resuming at iteration 20", then the error.
    CHECK_THAT(r.output, Catch::EndsWith("\nmnist-train: error: cannot write '" + run +
                                         "/checkpoint.json': File too large (the previous "
                                         "version of the file, if any, is untouched)\n"));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 2);
    CHECK(mm::fault::read_file(run + "/checkpoint.json") == good);
    require_no_temporary_files(run);

    f.resume_to_the_end(run);
    CHECK(mm::fault::RunFiles(run).model == reference.model);
}

TEST_CASE("A full disk while writing the model: the error names it, no model.json is left", "[fault][disk]") {
    FaultFixture f;
    const std::string run = f.path("full");
    // No checkpoints, a wider network: the model is the biggest file the run writes.
    const std::string config = f.write_config(
        "no-checkpoints.json",
        {{"model", {{"hidden_sizes", {64}}}}, {"output", {{"checkpoint_every", 0}}}});
    const std::string run_reference = f.path("reference-no-checkpoints");
    f.reference("reference-no-checkpoints", config);
    const auto model_size = fs::file_size(run_reference + "/model.json");
    const auto loss_size = fs::file_size(run_reference + "/loss.csv");
    REQUIRE(loss_size < model_size / 2);

    const auto r = f.train(run, file_size_limit(model_size / 2), config);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output == "mnist-train: error: cannot write '" + run + "/model.json': File too large "
                      "(the previous version of the file, if any, is untouched)\n");
    CHECK_FALSE(fs::exists(run + "/model.json"));
    CHECK_FALSE(fs::exists(run + "/summary.json"));
    require_no_temporary_files(run);
}
