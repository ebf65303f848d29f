#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/image_file.hpp>

#include "temp_dir.hpp"

#include <png.h>

#include <cstring>
#include <fstream>

namespace {

std::string gradient_pixels() {
    std::string px(28 * 28, '\0');
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<char>(i % 256);
    return px;
}

}  // namespace

TEST_CASE("Binary and ASCII PGM digits are read exactly", "[image_file]") {
    mm::test::TempDir dir;
    const std::string px = gradient_pixels();
    const auto img = mm::read_gray_image(dir.write("d.pgm", "P5\n# a comment\n28 28\n255\n" + px));
    REQUIRE(img.rows == 28);
    REQUIRE(img.cols == 28);
    CHECK(std::memcmp(img.pixels.data(), px.data(), px.size()) == 0);

    const auto ascii = mm::read_gray_image(dir.write("a.pgm", "P2 2 1 15\n0 15\n"));
    REQUIRE(ascii.pixels.size() == 2);
    CHECK(ascii.pixels[0] == 0);
    CHECK(ascii.pixels[1] == 255);  // scaled from maximum 15 to 255
}

TEST_CASE("A PNG digit is read through libpng as 8-bit gray", "[image_file]") {
    mm::test::TempDir dir;
    const std::string px = gradient_pixels();
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = 28;
    image.height = 28;
    image.format = PNG_FORMAT_GRAY;
    const std::string path = dir.path() + "/d.png";
    REQUIRE(png_image_write_to_file(&image, path.c_str(), 0, px.data(), 0, nullptr));
    const auto img = mm::read_gray_image(path);
    REQUIRE(img.pixels.size() == px.size());
    CHECK(std::memcmp(img.pixels.data(), px.data(), px.size()) == 0);
}

TEST_CASE("Bad image files get one message naming the file and what was expected", "[image_file]") {
    mm::test::TempDir dir;
    CHECK_THROWS_WITH(mm::read_gray_image(dir.path() + "/none.png"),
                      Catch::Contains("none.png") && Catch::Contains("cannot open"));
    CHECK_THROWS_WITH(mm::read_gray_image(dir.write("x.txt", "hello")),
                      Catch::Contains("x.txt") && Catch::Contains("expected a PNG signature or a PGM header"));
    CHECK_THROWS_WITH(mm::read_gray_image(dir.write("short.pgm", "P5 28 28 255\n" + std::string(100, 'a'))),
                      Catch::Contains("byte 13") && Catch::Contains("expected 784 bytes"));
    CHECK_THROWS_WITH(mm::read_gray_image(dir.write("deep.pgm", "P5 2 2 65535\n12345678")),
                      Catch::Contains("8-bit"));
    CHECK_THROWS_WITH(mm::read_gray_image(dir.write("w.pgm", "P5 x 2 255\n")),
                      Catch::Contains("byte 3") && Catch::Contains("width"));
    CHECK_THROWS_WITH(mm::read_gray_image(dir.write("trunc.png", std::string("\x89PNG\r\n\x1a\n", 8) + "junk")),
                      Catch::Contains("trunc.png"));
}
