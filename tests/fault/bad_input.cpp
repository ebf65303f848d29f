// Bad surroundings and bad files: a read-only or missing output directory, a dataset deleted
// between runs, a checkpoint of another architecture or dtype, a model file one byte short.
// Each gives one clear error line and exit code 1, and leaves the run as it was.
#include "fault_fixture.hpp"

#include <algorithm>
#include <filesystem>

namespace {

using mm::fault::FaultFixture;
using mm::fault::ProcessResult;
namespace fs = std::filesystem;

void require_one_error(const ProcessResult& r, const std::string& expected_part) {
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.rfind("mnist-train: error: ", 0) == 0);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(r.output.find(expected_part) != std::string::npos);
}

// A run stopped by an interrupt at its 3rd checkpoint (iteration 12), ready to be resumed.
std::string stopped_run(const FaultFixture& f, const std::string& name,
                        const std::string& config = {}) {
    const std::string run = f.path(name);
    mm::fault::ProcessFaults stop;
    stop.injected = mm::fault::InjectedFault{"checkpoint.json", "rename", "interrupt", 3};
    const auto r = f.train(run, stop, config);
    INFO(r.output);
    REQUIRE(r.exit_code == 130);
    return run;
}

}  // namespace

TEST_CASE("A read-only output directory is refused before training", "[fault][input]") {
    FaultFixture f;
    const std::string run = f.path("read-only");
    fs::create_directories(run);
    fs::permissions(run, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec);
    // root may write anywhere: the run is made as an ordinary user then.
    mm::fault::ProcessFaults faults;
    faults.as_nobody = true;
    const auto r = f.train(run, faults);
    require_one_error(r, "/output/dir: the run directory '" + run + "' is not writable");
    CHECK(fs::is_empty(run));
}

TEST_CASE("An output directory that cannot exist, or a missing run, is one error", "[fault][input]") {
    FaultFixture f;
    std::ofstream(f.path("a-file")) << "not a directory";
    require_one_error(f.train(f.path("a-file/run")),
                      "/output/dir: cannot create the run directory '" + f.path("a-file/run") + "'");
    require_one_error(f.resume(f.path("missing")),
                      "cannot resume '" + f.path("missing") + "': no config.json there");
}

TEST_CASE("A dataset deleted between runs: the resume names it and keeps the checkpoint", "[fault][input]") {
    FaultFixture f;
    const std::string run = stopped_run(f, "stopped");
    const std::string checkpoint = mm::fault::read_file(run + "/checkpoint.json");
    fs::remove(f.data_dir() + "/train-images-idx3-ubyte");
    require_one_error(f.resume(run), "dataset 'mnist' incomplete: looked in '" + f.data_dir() +
                                         "' for train-images-idx3-ubyte[.gz]");
    fs::remove_all(f.data_dir());
    require_one_error(f.resume(run), "dataset 'mnist' not found: looked in '" + f.data_dir() +
                                         "', which is not a directory");
    CHECK(mm::fault::read_file(run + "/checkpoint.json") == checkpoint);
}

TEST_CASE("A checkpoint of another architecture or dtype is refused", "[fault][input]") {
    FaultFixture f;
    const std::string run = stopped_run(f, "stopped");
    for (const auto& [name, patch] :
         {std::pair<std::string, nlohmann::json>{"wider", {{"model", {{"hidden_sizes", {20}}}}}},
          {"float64", {{"model", {{"dtype", "float64"}}}}}}) {
        SECTION(name) {
            const std::string other = stopped_run(f, name, f.write_config(name + ".json", patch));
            fs::copy_file(run + "/checkpoint.json", other + "/checkpoint.json",
                          fs::copy_options::overwrite_existing);
            require_one_error(f.resume(other),
                              other + "/checkpoint.json: /config_hash: the checkpoint belongs to "
                                      "a different config");
        }
    }
}

TEST_CASE("A cut-off model file is one error for eval", "[fault][input]") {
    FaultFixture f;
    f.reference("whole");
    const std::string bytes = mm::fault::read_file(f.path("whole/model.json"));
    const std::string shorter = f.path("short.json");
    auto eval = [&](std::size_t cut) {
        std::ofstream(shorter, std::ios::binary | std::ios::trunc)
            << bytes.substr(0, bytes.size() - cut);
        return mm::fault::run_train({"eval", shorter, "--data", f.data_dir()},
                                    f.path("eval-output.txt"));
    };
    // The last byte is the newline after the JSON: without it the model is complete and loads.
    REQUIRE(bytes.back() == '\n');
    CHECK(eval(1).exit_code == 0);
    // One byte of the JSON itself missing (the closing brace), or much more.
    for (const std::size_t cut : {std::size_t{2}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
        INFO("cut " << cut << " bytes");
        require_one_error(eval(cut), shorter + ": not a valid model file (JSON parse error at byte");
    }
}
