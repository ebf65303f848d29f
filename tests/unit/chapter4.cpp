#include <mnist_minibatch/chapter4_examples.hpp>

#include "../support/temp_dir.hpp"
#include "chapter4_reference.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

TEST_CASE("every chapter-4 example matches the book within its tolerance", "[chapter4]") {
    const auto rows = mm::chapter4_examples();
    CHECK(rows.size() == 30);
    for (const auto& r : rows) {
        INFO(r.name << ": book " << r.book << ", ours " << r.ours);
        CHECK(r.passed());
        // The book column is the reference file's value (numpy's default dispatch) exactly.
        CHECK(r.book == mm::test::reference_value(r.reference.substr(std::string("/examples").size())));
    }
}

TEST_CASE("ExampleCheck applies relative and absolute tolerances", "[chapter4]") {
    CHECK(mm::ExampleCheck{"a", "", 2.0, 2.0 + 1e-15, 1e-15, true}.passed());
    CHECK_FALSE(mm::ExampleCheck{"a", "", 2.0, 2.0 + 1e-14, 1e-15, true}.passed());
    CHECK(mm::ExampleCheck{"a", "", 0.0, 1e-10, 1e-9, false}.passed());
    CHECK_FALSE(mm::ExampleCheck{"a", "", 0.0, 1e-8, 1e-9, false}.passed());
    CHECK_FALSE(mm::ExampleCheck{"a", "", 0.0, 1e-300, 1e-15, true}.passed());
}

TEST_CASE("mnist-train chapter4 prints the table and exits 0", "[chapter4]") {
    mm::test::TempDir dir;
    const std::string out = dir.path() + "/chapter4.txt";
    const int status = std::system((std::string(MM_TRAIN_BINARY) + " chapter4 > " + out).c_str());
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(text);
    CHECK(status == 0);
    CHECK(text.find("cross_entropy_error(y1, t)") != std::string::npos);
    CHECK(text.find("0.51082545709933802") != std::string::npos);
    CHECK(text.find("gradient_descent(lr=10.0, 100 steps) x[0]") != std::string::npos);
    CHECK(text.find("30 of 30 examples match the book within tolerance") != std::string::npos);
    CHECK(text.find(" NO\n") == std::string::npos);
}
