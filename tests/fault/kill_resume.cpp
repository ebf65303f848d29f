// kill -9 at any moment loses nothing: whatever the moment (a training step, the write of a
// checkpoint, the middle of a log line), `--resume` ends with the model and logs of a run that
// was never interrupted. Moments come from a fixed-seed generator, so a failure can be replayed.
#include "fault_fixture.hpp"

#include <filesystem>
#include <random>

namespace {

using mm::fault::FaultFixture;
using mm::fault::InjectedFault;
using mm::fault::ProcessFaults;

// Files under their final names are whole: the atomic writer renames only complete files.
void require_no_damaged_final_files(const std::string& run) {
    for (const char* name : {"checkpoint.json", "config.json", "model.json", "summary.json"}) {
        const std::string file = run + "/" + name;
        if (std::filesystem::exists(file)) {
            INFO(file);
            CHECK_FALSE(nlohmann::json::parse(mm::fault::read_file(file), nullptr, false)
                            .is_discarded());
        }
    }
}

}  // namespace

TEST_CASE("kill -9 at 20 moments: each resume ends with the uninterrupted run's files", "[fault][kill]") {
    FaultFixture f;
    const auto reference = f.reference();
    std::mt19937 pick(20261204);
    // 29 checkpoints (iterations 4, 8, ... 116), 121 loss.csv lines, 6 epochs.csv lines.
    const int checkpoints = FaultFixture::kIterations / FaultFixture::kCheckpointEvery - 1;
    std::uniform_int_distribution<long> checkpoint(1, checkpoints);
    std::uniform_int_distribution<long> log_line(2, FaultFixture::kIterations);
    std::uniform_int_distribution<int> micros(0, 60000);

    for (int trial = 0; trial < 20; ++trial) {
        const std::string run = f.path("killed-" + std::to_string(trial));
        ProcessFaults faults;
        std::string moment;
        switch (trial % 5) {
            case 0:  // before the checkpoint's bytes reach the disk: a temp file, no rename
                faults.injected = InjectedFault{"checkpoint.json", "fsync", "kill", checkpoint(pick)};
                moment = "at the fsync of checkpoint " + std::to_string(faults.injected->count);
                break;
            case 1:  // half of a checkpoint written
                faults.injected = InjectedFault{"checkpoint.json", "write", "torn", checkpoint(pick)};
                moment = "halfway through writing checkpoint " + std::to_string(faults.injected->count);
                break;
            case 2:  // half a log line flushed
                faults.injected = InjectedFault{"loss.csv", "fwrite", "torn", log_line(pick)};
                moment = "halfway through loss.csv line " + std::to_string(faults.injected->count);
                break;
            case 3:
                faults.injected = InjectedFault{"epochs.csv", "fwrite", "torn", 2 + trial % 4};
                moment = "halfway through epochs.csv line " + std::to_string(faults.injected->count);
                break;
            default: {  // a plain kill -9 at a random time once the run has started
                faults.signal = SIGKILL;
                const std::string loss = run + "/loss.csv";
                faults.ready = [loss] { return std::filesystem::exists(loss); };
                faults.delay = std::chrono::microseconds(micros(pick));
                moment = "at " + std::to_string(faults.delay.count()) + " us into the run";
            }
        }
        INFO("trial " << trial << ": kill -9 " << moment);
        const auto killed = f.train(run, faults);
        INFO(killed.output);
        REQUIRE_FALSE(killed.timed_out);
        const bool finished = std::filesystem::exists(run + "/summary.json");
        if (killed.exit_code == 0 || finished) {
            // Only a timed kill can miss: the run was already over.
            REQUIRE(trial % 5 == 4);
        } else {
            REQUIRE(killed.term_signal == SIGKILL);
        }
        require_no_damaged_final_files(run);
        if (!finished) f.resume_to_the_end(run);
        mm::fault::require_same_files(reference, run);
    }
}

TEST_CASE("kill -9 while the model is written: no model.json, the resume writes it", "[fault][kill]") {
    FaultFixture f;
    const auto reference = f.reference();
    const std::string run = f.path("killed-model");
    ProcessFaults faults;
    faults.injected = InjectedFault{"model.json", "write", "torn", 1};
    const auto killed = f.train(run, faults);
    INFO(killed.output);
    REQUIRE(killed.term_signal == SIGKILL);
    CHECK_FALSE(std::filesystem::exists(run + "/model.json"));
    f.resume_to_the_end(run);
    CHECK(mm::fault::RunFiles(run).model == reference.model);
}
