// Ctrl-C (SIGINT) during training: the run finishes its iteration, writes a checkpoint that
// matches its flushed logs, says how to continue and exits with 130; the resume then ends
// exactly like a run that was never interrupted.
#include "fault_fixture.hpp"

#include <filesystem>

namespace {

using mm::fault::FaultFixture;
using mm::fault::ProcessFaults;
namespace fs = std::filesystem;

void require_clean_stop(const mm::fault::ProcessResult& r, const std::string& run) {
    INFO(r.output);
    REQUIRE(r.exit_code == 130);
    CHECK(r.output.find("interrupted: checkpoint at iteration ") != std::string::npos);
    CHECK(r.output.find("mnist-train train --resume " + run) != std::string::npos);
    const auto cp = nlohmann::json::parse(mm::fault::read_file(run + "/checkpoint.json"));
    CHECK(cp["iteration"].get<int>() > 0);
    // The logs hold whole lines, exactly the bytes the checkpoint accounts for.
    for (const auto& [file, key] : {std::pair<std::string, std::string>{"loss.csv", "loss_csv_bytes"},
                                    {"epochs.csv", "epochs_csv_bytes"}}) {
        const std::string text = mm::fault::read_file(run + "/" + file);
        INFO(file);
        CHECK(text.size() == cp["logs"][key].get<std::size_t>());
        CHECK(text.back() == '\n');
    }
    CHECK_FALSE(fs::exists(run + "/model.json"));
}

}  // namespace

TEST_CASE("SIGINT during training: checkpoint, whole logs, exit 130, exact resume", "[fault][interrupt]") {
    FaultFixture f;
    const auto reference = f.reference();
    for (const long line : {2L, 37L, 100L, 120L}) {
        SECTION("SIGINT while loss.csv line " + std::to_string(line) + " is written") {
            const std::string run = f.path("interrupted");
            ProcessFaults faults;
            faults.injected = mm::fault::InjectedFault{"loss.csv", "fwrite", "interrupt", line};
            require_clean_stop(f.train(run, faults), run);
            f.resume_to_the_end(run);
            mm::fault::require_same_files(reference, run);
        }
    }
}

TEST_CASE("A real Ctrl-C from outside, twice in one run, then an exact resume", "[fault][interrupt]") {
    FaultFixture f;
    // Long enough that the signal, sent once training has begun, arrives while it still runs.
    const std::string config =
        f.write_config("long.json", {{"training", {{"iterations", 4000}}},
                                     {"output", {{"checkpoint_every", 500}}}});
    const auto reference = f.reference("long-reference", config);
    const std::string run = f.path("interrupted");
    const std::string loss = run + "/loss.csv";
    // The log grows only once the signal handler is in place: Ctrl-C before that is a plain
    // SIGINT death, which this test is not about.
    auto ctrl_c_after_growth = [&loss] {
        ProcessFaults faults;
        faults.signal = SIGINT;
        const auto before = fs::exists(loss) ? fs::file_size(loss) : 0;
        faults.ready = [loss, before] {
            std::error_code ec;
            const auto size = fs::file_size(loss, ec);
            return !ec && size > before + 2000;
        };
        return faults;
    };
    require_clean_stop(f.train(run, ctrl_c_after_growth(), config), run);
    require_clean_stop(f.resume(run, ctrl_c_after_growth()), run);
    f.resume_to_the_end(run);
    mm::fault::require_same_files(reference, run);
}
