#include "temp_dir.hpp"

#include <mnist_minibatch/csv_log.hpp>
#include <mnist_minibatch/csv_log_follower.hpp>
#include <mnist_minibatch/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace {

const std::string header = "iteration,epoch,cee,sse,learning_rate,elapsed_s\n";

mm::CsvLog parse(const std::string& text) {
    return mm::parse_csv_log(text, "loss.csv", mm::loss_log_columns());
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const mm::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a loss log parses column by column", "[csv_log]") {
    const auto log = parse(header + "0,0.01,2.3,0.9,0.1,0.5\n1,0.02,2.25,0.89,0.1,0.75\n");
    REQUIRE(log.rows() == 2);
    CHECK(log.column("iteration") == std::vector<double>{0, 1});
    CHECK(log.column("cee") == std::vector<double>{2.3, 2.25});
    CHECK(log.column("elapsed_s") == std::vector<double>{0.5, 0.75});
    CHECK_THROWS_WITH(log.column("accuracy"), Catch::Contains("no column 'accuracy'"));
}

TEST_CASE("an unfinished last line is left for later", "[csv_log]") {
    CHECK(parse(header + "0,0.01,2.3,0.9,0.1,0.5\n1,0.0").rows() == 1);
    CHECK(parse(header).rows() == 0);
    CHECK(parse("iteration,epo").rows() == 0);
    CHECK(parse("").rows() == 0);
    CHECK(parse("").columns == mm::loss_log_columns());
}

TEST_CASE("nan, inf, huge and tiny values and CRLF line ends are read", "[csv_log]") {
    const auto log = parse("iteration,epoch,cee,sse,learning_rate,elapsed_s\r\n"
                           "0,0,nan,inf,-inf,1e999\r\n1,1,1e-999,2,3,4\r\n");
    REQUIRE(log.rows() == 2);
    CHECK(std::isnan(log.column("cee")[0]));
    CHECK(log.column("sse")[0] == INFINITY);
    CHECK(log.column("learning_rate")[0] == -INFINITY);
    CHECK(log.column("elapsed_s")[0] == INFINITY);
    CHECK(log.column("cee")[1] == 0.0);
}

TEST_CASE("columns may come in any order and extra columns are kept", "[csv_log]") {
    const auto log = parse("elapsed_s,cee,sse,epoch,iteration,learning_rate,note_id\n9,1,2,3,4,5,6\n");
    CHECK(log.column("iteration")[0] == 4);
    CHECK(log.column("note_id")[0] == 6);
}

TEST_CASE("malformed logs name file:line, the field and what was found", "[csv_log]") {
    CHECK_THAT(error_of("iteration,epoch,cee\n"),
               Catch::Contains("loss.csv:1") && Catch::Contains("no column 'sse'"));
    CHECK_THAT(error_of("iteration,,cee\n"), Catch::Contains("loss.csv:1: expected a header"));
    CHECK_THAT(error_of(header + "0,0,1,1,1,1\n1,0,1\n"),
               Catch::Contains("loss.csv:3: expected 6 comma-separated fields") &&
                   Catch::Contains("found 3: '1,0,1'"));
    CHECK_THAT(error_of(header + "0,0,abc,1,1,1\n"),
               Catch::Contains("loss.csv:2: field 3 (cee): expected a number") &&
                   Catch::Contains("found 'abc'"));
    CHECK_THAT(error_of(header + "0,0,,1,1,1\n"), Catch::Contains("field 3 (cee)"));
    CHECK_THAT(error_of(header + "0,0, 1,1,1,1\n"), Catch::Contains("found ' 1'"));
    CHECK_THAT(error_of(header + "0,0,1,1,1,1\n\n"), Catch::Contains("loss.csv:3"));
    CHECK_THAT(error_of(header + std::string("0,0,\x01\xff,1,1,1\n")),
               Catch::Contains("found '\\x01\\xff'"));
}

TEST_CASE("feeding bytes one at a time gives the same log as reading it whole", "[csv_log]") {
    const std::string text = header + "0,0.01,2.3,0.9,0.1,0.5\n1,0.02,nan,0.89,0.1,0.75\n2,0.03,1";
    mm::CsvLogParser parser("loss.csv", mm::loss_log_columns());
    std::string pending;
    for (char c : text) {
        pending += c;
        pending.erase(0, parser.feed(pending));
    }
    CHECK(pending == "2,0.03,1");
    const auto whole = parse(text);
    REQUIRE(parser.log().rows() == whole.rows());
    CHECK(parser.log().column("cee")[0] == whole.column("cee")[0]);
    CHECK(std::isnan(parser.log().column("cee")[1]));
    CHECK(parser.lines_read() == 3);
}

TEST_CASE("random bytes never crash the reader: a log or one mm::Error", "[csv_log]") {
    std::mt19937 rng(12345);
    const std::string alphabet = "0123456789,.-+eEinfaINFAN \r\n\t";
    std::size_t parsed = 0, rejected = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text = round % 2 ? header : "";
        const std::size_t len = rng() % 120;
        for (std::size_t i = 0; i < len; ++i)
            text += round % 3 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
        try {
            const auto log = parse(text);
            for (const auto& col : log.values) REQUIRE(col.size() == log.rows());
            ++parsed;
        } catch (const mm::Error&) {
            ++rejected;
        }
    }
    CHECK(parsed > 0);
    CHECK(rejected > 0);
}

TEST_CASE("a log file that cannot be opened is an error naming it", "[csv_log]") {
    CHECK_THROWS_WITH(mm::read_csv_log("/nonexistent/loss.csv", mm::loss_log_columns()),
                      Catch::Contains("/nonexistent/loss.csv"));
}

TEST_CASE("the follower reads appended rows and starts over when the file shrinks", "[csv_log]") {
    mm::test::TempDir dir;
    const std::string path = dir.file("loss.csv");
    mm::CsvLogFollower follower(path, mm::loss_log_columns());
    CHECK_FALSE(follower.poll());
    CHECK_FALSE(follower.exists());

    mm::test::write_text(path, header + "0,0,1,1,1,1\n1,0");
    CHECK(follower.poll());
    CHECK(follower.exists());
    CHECK(follower.log().rows() == 1);
    CHECK_FALSE(follower.poll());

    {
        std::ofstream out(path, std::ios::app);
        out << ".5,2,2,2,2\n2,1,3,3,3,3\n";
    }
    CHECK(follower.poll());
    REQUIRE(follower.log().rows() == 3);
    CHECK(follower.log().column("cee")[1] == 2);
    CHECK(follower.log().column("epoch")[1] == 0.5);

    mm::test::write_text(path, header + "0,0,7,7,7,7\n");
    CHECK(follower.poll());
    REQUIRE(follower.log().rows() == 1);
    CHECK(follower.log().column("cee")[0] == 7);
}
