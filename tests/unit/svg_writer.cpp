#include "svg_test_xml.hpp"

#include <mnist_minibatch/svg_writer.hpp>

#include <catch2/catch.hpp>

using mm::test::parse_xml;

TEST_CASE("xml_escape escapes markup characters and drops forbidden control bytes", "[svg]") {
    CHECK(mm::xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(mm::xml_escape(std::string("x\x01y\tz\n", 6)) == "x?y\tz\n");
    CHECK(mm::xml_escape("") == "");
}

TEST_CASE("svg_number has at most two decimals and no negative zero", "[svg]") {
    CHECK(mm::svg_number(1.0) == "1");
    CHECK(mm::svg_number(1.25) == "1.25");
    CHECK(mm::svg_number(1.2) == "1.2");
    CHECK(mm::svg_number(-0.001) == "0");
    CHECK(mm::svg_number(123456.789) == "123456.79");
    CHECK(mm::svg_number(std::nan("")) == "0");
}

TEST_CASE("SvgWriter emits a well-formed document and closes open groups", "[svg]") {
    mm::SvgWriter svg(200, 100, {{"class", "test <chart>"}});
    svg.title("a & b");
    svg.open_group({{"class", "outer"}});
    svg.open_group({{"class", "inner"}});
    svg.element("rect", {{"x", "1"}, {"y", "2"}});
    svg.text(3, 4, "label <1> & \"2\"");
    svg.polyline({{0, 0}, {10.5, 20.25}}, {{"stroke", "red"}});
    const std::string doc = svg.finish();
    const auto root = parse_xml(mm::svg_file_contents(doc));
    CHECK(root->name == "svg");
    CHECK(root->attr("class") == "test <chart>");
    CHECK(root->attr("viewBox") == "0 0 200 100");
    CHECK(root->find_all("title").at(0)->text == "a & b");
    REQUIRE(root->find_all("g").size() == 2);
    CHECK(root->find_all("g", "outer").at(0)->find_all("g", "inner").size() == 1);
    CHECK(root->find_all("text").at(0)->text == "label <1> & \"2\"");
    CHECK(root->find_all("polyline").at(0)->attr("points") == "0,0 10.5,20.25");
    CHECK(root->find_all("polyline").at(0)->attr("fill") == "none");
}

TEST_CASE("the test XML parser itself rejects malformed documents", "[svg]") {
    for (const char* bad : {"<a>", "<a></b>", "<a x=1/>", "<a x='1' x='2'/>", "<a>&foo;</a>",
                            "<a>1 < 2</a>", "<a/><b/>", "", "<a>&amp</a>"}) {
        INFO(bad);
        CHECK_THROWS(parse_xml(bad));
    }
    CHECK_NOTHROW(parse_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<a x=\"1\"><b/>t&amp;</a>\n"));
}
