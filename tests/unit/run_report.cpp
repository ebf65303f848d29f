#include "run_report_test_run.hpp"
#include "svg_test_xml.hpp"

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/run_plots.hpp>
#include <mnist_minibatch/run_summary.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;
using mm::test::config_json;
using mm::test::epochs_csv;
using mm::test::loss_csv;
using mm::test::parse_xml;
using mm::test::read_text;
using mm::test::RunDir;
using mm::test::summary_json;
using mm::test::TempDir;
using mm::test::write_text;
using nlohmann::json;

namespace {

std::string error_of(const std::string& run_dir) {
    try {
        mm::write_run_plots(run_dir);
    } catch (const mm::Error& e) {
        return e.what();
    }
    return "no error";
}

std::string section_text(const mm::test::XmlElement& html, const std::string& id) {
    for (const auto* s : html.find_all("section"))
        if (s->attributes.count("id") && s->attr("id") == id) return s->all_text();
    FAIL("no section " << id);
    return "";
}

}  // namespace

TEST_CASE("a finished run gets every picture and a self-contained report", "[run_report]") {
    RunDir d(true, true);
    const auto result = mm::write_run_plots(d.run, {});
    CHECK(result.notes.empty());
    CHECK(result.written.size() == 5);
    for (const char* name : {"loss.svg", "accuracy.svg", "confusion.svg"}) {
        INFO(name);
        const auto svg = parse_xml(read_text(d.file(name)));
        CHECK(svg->name == "svg");
    }
    CHECK(read_text(d.file("mistakes.png")).substr(1, 3) == "PNG");

    const std::string page = read_text(d.file("report.html"));
    const auto html = parse_xml(page);
    CHECK(html->name == "html");
    CHECK(html->find_all("title").at(0)->text == "Run report: " + d.run);
    CHECK(html->find_all("svg").size() == 3);
    CHECK(html->find_all("svg", "loss-chart").size() == 1);
    CHECK(html->find_all("svg", "accuracy-chart").size() == 1);
    CHECK(html->find_all("svg", "confusion-chart").size() == 1);
    const auto images = html->find_all("img");
    REQUIRE(images.size() == 1);
    CHECK(images[0]->attr("src").rfind("data:image/png;base64,iVBORw0KGgo", 0) == 0);
    CHECK(html->find_all("script").empty());
    CHECK(html->find_all("link").empty());
    // Nothing is fetched: the only URLs are XML namespace names.
    for (std::size_t at = page.find("http"); at != std::string::npos; at = page.find("http", at + 1))
        CHECK((page.substr(at, 29) == "http://www.w3.org/1999/xhtml\"" ||
               page.substr(at, 27) == "http://www.w3.org/2000/svg\""));

    const std::string summary = section_text(*html, "summary");
    CHECK_THAT(summary, Catch::Contains("finished") && Catch::Contains("0.8750 (87.50%)") &&
                            Catch::Contains("abc123") && Catch::Contains("26.7 iterations/s"));
    CHECK_THAT(section_text(*html, "config"), Catch::Contains("\"learning_rate\": 0.1"));
    CHECK(html->find_all("p", "note").empty());
}

TEST_CASE("a run still going: loss and accuracy now, the rest noted", "[run_report]") {
    RunDir d(false, true);
    const auto result = mm::write_run_plots(d.run, {});
    CHECK(result.written.size() == 3);
    CHECK(result.notes.size() == 2);
    CHECK(fs::exists(d.file("loss.svg")));
    CHECK(fs::exists(d.file("accuracy.svg")));
    CHECK_FALSE(fs::exists(d.file("confusion.svg")));
    CHECK_FALSE(fs::exists(d.file("mistakes.png")));
    const auto html = parse_xml(read_text(d.file("report.html")));
    CHECK(html->find_all("svg").size() == 2);
    CHECK(html->find_all("img").empty());
    CHECK_THAT(section_text(*html, "summary"),
               Catch::Contains("no summary.json yet") && Catch::Contains("iterations logged40") &&
                   Catch::Contains("last logged iteration39"));
    CHECK_THAT(section_text(*html, "confusion"), Catch::Contains("No summary.json yet"));
    CHECK_THAT(section_text(*html, "mistakes"), Catch::Contains("No summary.json yet"));
    // The partial last line is not drawn: 40 points.
    CHECK(html->find_all("g", "raw").at(0)->attr("data-points") == "40");
}

TEST_CASE("without the test images only the mistakes picture is left out", "[run_report]") {
    RunDir d(true, false);
    const auto result = mm::write_run_plots(d.run, {});
    REQUIRE(result.notes.size() == 1);
    CHECK_THAT(result.notes[0], Catch::Contains("No picture of the misclassified test digits") &&
                                    Catch::Contains(d.data));
    CHECK(fs::exists(d.file("confusion.svg")));
    CHECK_FALSE(fs::exists(d.file("mistakes.png")));
    const auto html = parse_xml(read_text(d.file("report.html")));
    CHECK_THAT(section_text(*html, "mistakes"), Catch::Contains(d.data));
}

TEST_CASE("a dataset that is not the run's is noticed", "[run_report]") {
    RunDir d(true, true);
    json s = summary_json(d.data);
    s["test_mistakes"][1]["label"] = 7;
    write_text(d.file("summary.json"), s.dump());
    const auto result = mm::write_run_plots(d.run, {});
    REQUIRE(result.notes.size() == 1);
    CHECK_THAT(result.notes[0], Catch::Contains("test item 14") && Catch::Contains("has label 4") &&
                                    Catch::Contains("not the data this run used"));
    s["test_mistakes"][1] = {{"index", 30}, {"label", 0}, {"predicted", 1}};
    write_text(d.file("summary.json"), s.dump());
    CHECK_THAT(mm::write_run_plots(d.run, {}).notes.at(0), Catch::Contains("outside the test set of 30"));
}

TEST_CASE("the loss drawn follows the run's loss unless asked", "[run_report]") {
    RunDir d(false, false);
    write_text(d.file("config.json"), config_json(d.data, "sum_squares").dump());
    mm::write_run_plots(d.run);
    CHECK(parse_xml(read_text(d.file("loss.svg")))->attr("data-loss") == "sse");
    mm::RunPlotOptions o;
    o.loss_column = "cee";
    o.log_scale = true;
    o.smoothing_window = 5;
    mm::write_run_plots(d.run, o);
    const auto svg = parse_xml(read_text(d.file("loss.svg")));
    CHECK(svg->attr("data-loss") == "cee");
    CHECK(svg->find_all("g", "smoothed").at(0)->attr("data-window") == "5");
    CHECK_THAT(svg->all_text(), Catch::Contains("log scale"));
}

TEST_CASE("what is not a readable run directory is one clear error", "[run_report]") {
    TempDir tmp;
    CHECK_THAT(error_of(tmp.file("missing")), Catch::Contains("does not exist"));
    CHECK_THAT(error_of(tmp.path()), Catch::Contains("is not a run directory"));

    RunDir d(true, true);
    write_text(d.file("loss.csv"), loss_csv(3, false) + "3,0.4,x,1,1,1\n");
    CHECK_THAT(error_of(d.run), Catch::Contains("loss.csv:5: field 3 (cee)"));
    write_text(d.file("loss.csv"), loss_csv(3, false));
    write_text(d.file("epochs.csv"), "iteration,epoch\n");
    CHECK_THAT(error_of(d.run), Catch::Contains("epochs.csv:1: header has no column 'train_loss'"));
    write_text(d.file("epochs.csv"), epochs_csv(2));
    write_text(d.file("config.json"), "{\"loss\": ");
    CHECK_THAT(error_of(d.run), Catch::Contains("config.json: invalid JSON at byte"));
    write_text(d.file("config.json"), config_json(d.data).dump());
    json s = summary_json(d.data);
    s["test_confusion"][1] = {1, 2};
    write_text(d.file("summary.json"), s.dump());
    CHECK_THAT(error_of(d.run), Catch::Contains("summary.json: /test_confusion/1: expected an array of 10 counts"));
    CHECK_FALSE(fs::exists(d.file("report.html")));
}

TEST_CASE("summary.json: every field checked, null losses are nan", "[run_report]") {
    const json good = summary_json("/data");
    const auto s = mm::parse_run_summary(good, "summary.json");
    CHECK(s.iterations == 40);
    CHECK(s.test_accuracy == 0.875);
    CHECK(s.test_confusion.size() == 10);
    CHECK(s.test_confusion[3][4] == 1);
    REQUIRE(s.test_mistakes.size() == 3);
    CHECK(s.test_mistakes[2].predicted == 6);

    json diverged = good;
    diverged["final"]["test_loss"] = nullptr;
    CHECK(std::isnan(mm::parse_run_summary(diverged, "s").test_loss));

    const auto error = [&](const std::function<void(json&)>& change) {
        json j = good;
        change(j);
        try {
            mm::parse_run_summary(j, "summary.json");
        } catch (const mm::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error([](json& j) { j.erase("iterations"); }) ==
          "summary.json: /iterations: missing (expected in the top-level object)");
    CHECK(error([](json& j) { j["iterations"] = -1; }) ==
          "summary.json: /iterations: expected a non-negative integer, found -1");
    CHECK(error([](json& j) { j["loss"] = "hinge"; }) ==
          "summary.json: /loss: expected \"cross_entropy\" or \"sum_squares\", found \"hinge\"");
    CHECK_THAT(error([](json& j) { j["final"]["train_accuracy"] = "high"; }),
               Catch::Contains("/final/train_accuracy: expected a number (or null)"));
    CHECK_THAT(error([](json& j) { j["test_confusion"][2][3] = 1.5; }),
               Catch::Contains("/test_confusion/2/3: expected a non-negative integer, found 1.5"));
    CHECK_THAT(error([](json& j) { j["test_confusion"] = json::array(); }),
               Catch::Contains("/test_confusion: expected a non-empty array"));
    CHECK_THAT(error([](json& j) { j["test_mistakes"][0]["predicted"] = 10; }),
               Catch::Contains("/test_mistakes/0/predicted: expected a class below 10, found 10"));
    CHECK_THAT(error([](json& j) { j["test_mistakes"][1].erase("index"); }),
               Catch::Contains("/test_mistakes/1/index: missing"));
    CHECK_THAT(error([](json& j) { j["dataset"] = 3; }), Catch::Contains("/dataset: expected an object"));
    CHECK_THAT(error([](json& j) { j = json::array(); }), Catch::Contains("expected an object"));
}
