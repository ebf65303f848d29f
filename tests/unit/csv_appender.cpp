#include <catch2/catch.hpp>

#include <mnist_minibatch/csv_appender.hpp>
#include <mnist_minibatch/error.hpp>

#include "temp_dir.hpp"

#include <fstream>
#include <sstream>

TEST_CASE("A CSV log is cut back to the checkpoint's byte position on resume", "[csv_appender]") {
    mm::test::TempDir dir;
    const std::string path = dir.path() + "/loss.csv";
    std::uint64_t mark = 0;
    {
        auto log = mm::CsvAppender::create(path, "a,b");
        log.append_line("1,2");
        mark = log.bytes();
        log.append_line("3,4");
        CHECK(mm::test::read_text(path) == "a,b\n1,2\n3,4\n");  // flushed line by line, visible while open
    }
    {
        auto log = mm::CsvAppender::resume(path, mark);
        log.append_line("5,6");
        CHECK(log.bytes() == mark + 4);
    }
    CHECK(mm::test::read_text(path) == "a,b\n1,2\n5,6\n");
    CHECK_THROWS_WITH(mm::CsvAppender::resume(path, 1000), Catch::Contains("expects at least 1000 bytes"));
    CHECK_THROWS_WITH(mm::CsvAppender::resume(dir.path() + "/missing.csv", 0),
                      Catch::Contains("missing.csv"));
    CHECK_THROWS_WITH(mm::CsvAppender::create(dir.path() + "/no/such/dir/x.csv", "h"),
                      Catch::Contains("cannot create log"));
}
