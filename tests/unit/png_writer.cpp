#include <mnist_minibatch/base64.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/mistakes_grid.hpp>
#include <mnist_minibatch/pixel_font.hpp>
#include <mnist_minibatch/png_writer.hpp>

#include <catch2/catch.hpp>

#include <png.h>

#include <cstring>

namespace {

// Decodes PNG bytes with libpng's reader, independently of the writer's code path.
mm::RgbImage decode_png(const std::string& bytes) {
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()));
    png.format = PNG_FORMAT_RGB;
    mm::RgbImage image;
    image.width = png.width;
    image.height = png.height;
    image.pixels.resize(PNG_IMAGE_SIZE(png));
    REQUIRE(png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr));
    return image;
}

std::array<std::uint8_t, 3> pixel(const mm::RgbImage& im, std::size_t x, std::size_t y) {
    const std::uint8_t* p = &im.pixels[(y * im.width + x) * 3];
    return {p[0], p[1], p[2]};
}

// A test split of `n` 28x28 images; image i is filled with the grey level 10 * i + 5 except its
// top-left pixel, which is 255.
mm::MnistSplit small_split(std::size_t n) {
    mm::MnistSplit s;
    s.images = xt::xtensor<std::uint8_t, 3>::from_shape({n, 28, 28});
    s.labels = xt::xtensor<std::uint8_t, 1>::from_shape({n});
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t r = 0; r < 28; ++r)
            for (std::size_t c = 0; c < 28; ++c) s.images(i, r, c) = static_cast<std::uint8_t>(10 * i + 5);
        s.images(i, 0, 0) = 255;
        s.labels(i) = static_cast<std::uint8_t>(i % 10);
    }
    return s;
}

std::size_t count_colour(const mm::RgbImage& im, std::array<std::uint8_t, 3> rgb) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < im.height; ++y)
        for (std::size_t x = 0; x < im.width; ++x) n += pixel(im, x, y) == rgb;
    return n;
}

}  // namespace

TEST_CASE("encode_png round-trips through libpng's reader", "[png]") {
    mm::RgbImage im(3, 2, 0, 0, 0);
    im.set(0, 0, 255, 0, 0);
    im.set(1, 0, 0, 255, 0);
    im.set(2, 1, 1, 2, 3);
    im.set(7, 7, 9, 9, 9);  // outside: ignored
    const std::string bytes = mm::encode_png(im);
    CHECK(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");
    const auto back = decode_png(bytes);
    CHECK(back.width == 3);
    CHECK(back.height == 2);
    CHECK(back.pixels == im.pixels);
}

TEST_CASE("encode_png refuses images without pixels", "[png]") {
    CHECK_THROWS_AS(mm::encode_png(mm::RgbImage()), mm::Error);
    mm::RgbImage wrong(2, 2, 0, 0, 0);
    wrong.pixels.pop_back();
    CHECK_THROWS_WITH(mm::encode_png(wrong), Catch::Contains("2x2"));
}

TEST_CASE("base64 matches RFC 4648's test vectors", "[png]") {
    CHECK(mm::base64_encode("") == "");
    CHECK(mm::base64_encode("f") == "Zg==");
    CHECK(mm::base64_encode("fo") == "Zm8=");
    CHECK(mm::base64_encode("foo") == "Zm9v");
    CHECK(mm::base64_encode("foob") == "Zm9vYg==");
    CHECK(mm::base64_encode("fooba") == "Zm9vYmE=");
    CHECK(mm::base64_encode("foobar") == "Zm9vYmFy");
    CHECK(mm::base64_encode(std::string("\xff\x00\xfe", 3)) == "/wD+");
}

TEST_CASE("pixel font draws digits and knows its width", "[png]") {
    CHECK(mm::pixel_text_width("", 2) == 0);
    CHECK(mm::pixel_text_width("7", 1) == 5);
    CHECK(mm::pixel_text_width("7>2", 2) == 34);
    mm::RgbImage im(20, 10, 255, 255, 255);
    mm::draw_pixel_text(im, 0, 0, "1", 1, {0, 0, 0});
    // The glyph of 1: a vertical stem in column 2 from row 0 to 6, a foot of three in row 6.
    for (std::size_t y = 0; y < 7; ++y) CHECK(pixel(im, 2, y) == std::array<std::uint8_t, 3>{0, 0, 0});
    CHECK(pixel(im, 0, 0) == std::array<std::uint8_t, 3>{255, 255, 255});
    CHECK(count_colour(im, {0, 0, 0}) == 10);
    mm::draw_pixel_text(im, 15, 5, "8", 3, {1, 1, 1});  // clipped at the border, no crash
    CHECK_THROWS_AS(mm::draw_pixel_text(im, 0, 0, "x", 1, {0, 0, 0}), mm::Error);
}

TEST_CASE("mistakes grid: each digit zoomed with its true and predicted label", "[png]") {
    const auto split = small_split(20);
    const std::vector<mm::Mistake> mistakes{{3, 3, 5}, {7, 7, 1}, {12, 2, 9}};
    const auto im = mm::mistakes_grid(split, mistakes, 2);
    // Two columns, two rows of cells; cells are 66 wide (the label "00>00" + padding), the
    // 56 px digit centred.
    CHECK(im.width == 2 * 66);
    CHECK(im.height == 2 * (56 + 14 + 12));
    // Cell 1 (second column, first row) shows image 7: grey 75, its top-left pixel zoomed to 2x2.
    const std::size_t x0 = 66 + 5, y0 = 4;
    CHECK(pixel(im, x0, y0) == std::array<std::uint8_t, 3>{255, 255, 255});
    CHECK(pixel(im, x0 + 1, y0 + 1) == std::array<std::uint8_t, 3>{255, 255, 255});
    CHECK(pixel(im, x0 + 2, y0) == std::array<std::uint8_t, 3>{75, 75, 75});
    CHECK(pixel(im, x0 + 55, y0 + 55) == std::array<std::uint8_t, 3>{75, 75, 75});
    // Labels: true in green, predicted in red, three labels each.
    CHECK(count_colour(im, {0, 110, 40}) > 0);
    CHECK(count_colour(im, {200, 20, 20}) > 0);
    const auto one = mm::mistakes_grid(split, {{3, 3, 5}}, 10);
    CHECK(one.width == 66);
    const std::size_t green = count_colour(one, {0, 110, 40}), red = count_colour(one, {200, 20, 20});
    CHECK(count_colour(im, {0, 110, 40}) > 2 * green);
    CHECK(count_colour(im, {200, 20, 20}) > 2 * red);
    CHECK_NOTHROW(mm::encode_png(im));
}

TEST_CASE("mistakes grid rejects what it cannot draw", "[png]") {
    const auto split = small_split(5);
    CHECK_THROWS_WITH(mm::mistakes_grid(split, {}), Catch::Contains("no misclassified"));
    CHECK_THROWS_WITH(mm::mistakes_grid(split, {{5, 1, 2}}), Catch::Contains("outside the test set of 5"));
    CHECK_THROWS_AS(mm::mistakes_grid(split, {{1, 1, 2}}, 0), mm::Error);
}
