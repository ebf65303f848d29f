#include "mnist_train_cli.hpp"
#include "run_report_test_run.hpp"
#include "svg_test_xml.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <sys/wait.h>

using mm::test::mnist_train;
using mm::test::read_text;
using mm::test::RunDir;
using mm::test::write_text;

TEST_CASE("mnist-train plot writes the pictures and says what it left out", "[run_report][cli]") {
    RunDir d(false, false);
    const auto r = mnist_train("plot '" + d.run + "'");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("wrote " + d.run + "/report.html") &&
                             Catch::Contains("note: No summary.json yet"));
    CHECK(mm::test::parse_xml(read_text(d.file("report.html")))->name == "html");

    const auto sse = mnist_train("plot '" + d.run + "' --loss sse --log-y --smooth 3");
    CHECK(sse.exit_code == 0);
    const auto svg = mm::test::parse_xml(read_text(d.file("loss.svg")));
    CHECK(svg->attr("data-loss") == "sse");
    CHECK(svg->find_all("g", "smoothed").at(0)->attr("data-window") == "3");
}

TEST_CASE("mnist-train plot reports bad input as one error line", "[run_report][cli]") {
    RunDir d(true, true);
    const auto missing = mnist_train("plot '" + d.tmp.file("nope") + "'");
    CHECK(missing.exit_code == 1);
    CHECK(missing.output == "mnist-train: error: run directory '" + d.tmp.file("nope") + "' does not exist\n");
    const auto bad_option = mnist_train("plot '" + d.run + "' --loss hinge");
    CHECK(bad_option.exit_code != 0);
    CHECK_THAT(bad_option.output, Catch::Contains("--loss"));
}

TEST_CASE("mnist-train watch --once prints one frame of a running run", "[run_report][cli]") {
    RunDir d(false, false);
    const auto r = mnist_train("watch '" + d.run + "' --once --width 30 --height 5");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("iteration 39  epoch 4.00") &&
                             Catch::Contains("(40 iterations logged)") &&
                             Catch::Contains("batch loss (cross-entropy error) per iteration") &&
                             Catch::Contains("latest evaluation: iteration 20 (epoch 2.00)  train acc 0.6000  test acc 0.6500"));
    CHECK(r.output.find("finished") == std::string::npos);
    CHECK(r.output.find('\x1b') == std::string::npos);
    CHECK(r.output.find(" |*") != std::string::npos);
}

TEST_CASE("mnist-train watch waits for a run that has not logged yet", "[run_report][cli]") {
    RunDir d(false, false);
    std::filesystem::remove(d.file("loss.csv"));
    std::filesystem::remove(d.file("epochs.csv"));
    const auto r = mnist_train("watch '" + d.run + "' --once");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("waiting for the first line of " + d.run + "/loss.csv") &&
                             Catch::Contains("no evaluation yet"));
    const auto missing = mnist_train("watch '" + d.tmp.file("nope") + "' --once");
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.output, Catch::Contains("mnist-train: error: run directory"));
}

TEST_CASE("mnist-train watch follows the log and stops when summary.json appears", "[run_report][cli]") {
    RunDir d(false, false);
    const std::string out = d.tmp.file("watch.txt");
    // Grows the run only once watch has shown the first frame, then ends the run.
    std::thread trainer([&] {
        for (int i = 0; i < 600 && read_text(out).find("(40 iterations logged)") == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        {
            std::ofstream log(d.file("loss.csv"), std::ios::app);
            log << "5,0.5,0.1,0.4\n41,4.2,0.25,0.1,0.1,0.41\n";
        }
        for (int i = 0; i < 600 && read_text(out).find("(42 iterations logged)") == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        write_text(d.file("summary.json"), mm::test::summary_json(d.data).dump());
    });
    const auto r = mnist_train("watch '" + d.run + "' --interval 0.05", out);
    trainer.join();
    CHECK(r.exit_code == 0);
    const auto first = r.output.find("(40 iterations logged)");
    const auto second = r.output.find("(42 iterations logged)");
    const auto done = r.output.find("finished: 40 iterations in 1.5 s, final test accuracy 0.8750");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(done != std::string::npos);
    CHECK((first < second && second < done));
}
