#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>

#include "temp_dir.hpp"

#include <xtensor/xio.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

using Catch::Matchers::Contains;

namespace {

template <class T>
xt::xarray<T> sample_values(const std::vector<std::size_t>& shape) {
    auto a = xt::xarray<T>::from_shape(shape);
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double v = (static_cast<double>(i % 7) - 3.0) * 37.25 + static_cast<double>(i);
        a.data()[i] = static_cast<T>(std::is_integral<T>::value ? std::fmod(v, 100.0) : v);
    }
    if (a.size() > 1) a.data()[1] = std::numeric_limits<T>::max();
    a.data()[0] = std::numeric_limits<T>::lowest();
    return a;
}

template <class T>
void check_round_trip(const mm::test::TempDir& dir, const std::vector<std::size_t>& shape) {
    const auto values = sample_values<T>(shape);
    for (const auto compression : {mm::IdxCompression::none, mm::IdxCompression::gzip}) {
        const std::string path = dir.path() + "/round-trip";
        mm::write_idx(path, values, compression);
        const std::string bytes = mm::test::read_text(path);
        CHECK(mm::has_gzip_magic(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) ==
              (compression == mm::IdxCompression::gzip));
        const mm::IdxHeader header = mm::read_idx_header(path);
        CHECK(header.type == mm::IdxTypeOf<T>::value);
        CHECK(header.shape == shape);
        const mm::IdxArray any = mm::read_idx(path);
        REQUIRE(std::holds_alternative<xt::xarray<T>>(any));
        const auto& back = std::get<xt::xarray<T>>(any);
        CHECK(std::vector<std::size_t>(back.shape().begin(), back.shape().end()) == shape);
        CHECK(std::equal(back.begin(), back.end(), values.begin()));
    }
}

// One mm::Error whose message names the file and the byte offset, and says the rest.
void check_rejected(const std::string& path, const std::string& offset, const std::string& what) {
    try {
        mm::read_idx(path);
        FAIL("no error for " << what);
    } catch (const mm::Error& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK_THAT(message, Contains("'" + path + "'"));
        CHECK_THAT(message, Contains(offset));
        CHECK_THAT(message, Contains(what));
    }
}

std::string header(std::uint8_t type, const std::vector<std::uint32_t>& dims) {
    std::string h{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
    for (const std::uint32_t d : dims)
        for (int b = 3; b >= 0; --b) h += static_cast<char>((d >> (8 * b)) & 0xFF);
    return h;
}

}  // namespace

TEST_CASE("Every IDX element type round-trips, plain and gzip, in 1 to 4 dimensions", "[idx]") {
    mm::test::TempDir dir;
    for (const auto& shape : std::vector<std::vector<std::size_t>>{{5}, {3, 4, 2}, {2, 1, 3, 2}}) {
        check_round_trip<std::uint8_t>(dir, shape);
        check_round_trip<std::int8_t>(dir, shape);
        check_round_trip<std::int16_t>(dir, shape);
        check_round_trip<std::int32_t>(dir, shape);
        check_round_trip<float>(dir, shape);
        check_round_trip<double>(dir, shape);
    }
}

TEST_CASE("IDX files are big-endian with the magic 00 00 type ndim", "[idx]") {
    const std::int16_t v16[2] = {0x0102, -2};
    CHECK(mm::encode_idx(mm::IdxType::int16, {2}, v16) ==
          std::string("\x00\x00\x0B\x01\x00\x00\x00\x02\x01\x02\xFF\xFE", 12));
    const float f = 1.0f;
    CHECK(mm::encode_idx(mm::IdxType::float32, {1}, &f) ==
          std::string("\x00\x00\x0D\x01\x00\x00\x00\x01\x3F\x80\x00\x00", 12));
    const double d = -2.0;
    CHECK(mm::encode_idx(mm::IdxType::float64, {1}, &d) ==
          std::string("\x00\x00\x0E\x01\x00\x00\x00\x01\xC0\x00\x00\x00\x00\x00\x00\x00", 16));
    const std::uint8_t u[1] = {0};
    CHECK_THROWS_WITH(mm::encode_idx(mm::IdxType::uint8, {}, u), Contains("1 to 255 dimensions"));
    CHECK_THROWS_WITH(mm::encode_idx(mm::IdxType::uint8, {0}, u), Contains("dimension 0"));
}

TEST_CASE("Gzip is detected from the content, never from the name", "[idx]") {
    mm::test::TempDir dir;
    const xt::xtensor<std::uint8_t, 2> values = {{1, 2, 3}, {4, 5, 6}};
    const std::string raw = mm::encode_idx(mm::IdxType::uint8, {2, 3}, values.data());
    const auto gz_named_raw = dir.write("a.gz", raw);
    const auto raw_named_gz = dir.write("a-idx2-ubyte", mm::gzip_compress(raw));
    CHECK((mm::read_idx_tensor<std::uint8_t, 2>(gz_named_raw) == values));
    CHECK((mm::read_idx_tensor<std::uint8_t, 2>(raw_named_gz) == values));
    // Concatenated gzip members are one stream, as for `gzip -dc`.
    const auto two_members = dir.write("two", mm::gzip_compress(raw.substr(0, 7)) +
                                                         mm::gzip_compress(raw.substr(7)));
    CHECK((mm::read_idx_tensor<std::uint8_t, 2>(two_members) == values));
}

TEST_CASE("The observer sees exactly the uncompressed content", "[idx]") {
    mm::test::TempDir dir;
    const xt::xtensor<std::int32_t, 1> values = {7, -8, 9};
    const std::string raw = mm::encode_idx(mm::IdxType::int32, {3}, values.data());
    const auto path = dir.write("v.gz", mm::gzip_compress(raw));
    std::string seen;
    const auto back = mm::read_idx_tensor<std::int32_t, 1>(
        path, [&](const unsigned char* d, std::size_t n) { seen.append(reinterpret_cast<const char*>(d), n); });
    CHECK((back == values));
    CHECK(seen == raw);
}

TEST_CASE("Malformed IDX files: one error naming the file, the offset, expected and found", "[idx]") {
    mm::test::TempDir dir;
    const std::string good = header(0x08, {2, 3}) + std::string(6, '\x07');

    SECTION("missing file") {
        const std::string path = dir.path() + "/absent";
        CHECK_THROWS_WITH(mm::read_idx(path), Contains("'" + path + "'") && Contains("No such file"));
    }
    SECTION("a directory") {
        CHECK_THROWS_WITH(mm::read_idx(dir.path()), Contains("found a directory"));
    }
    SECTION("empty file") {
        check_rejected(dir.write("empty", ""), "byte 0", "found an empty file");
    }
    SECTION("shorter than the magic") {
        check_rejected(dir.write("short", std::string("\0\0", 2)), "byte 2",
                       "found the end of the content after 2 byte(s)");
    }
    SECTION("first two bytes not zero") {
        check_rejected(dir.write("bad", std::string("\x12\x34\x08\x01\x00\x00\x00\x01\x00", 9)),
                       "byte 0", "found bytes 12 34 08 01");
    }
    SECTION("an HTML error page saved instead of the file") {
        check_rejected(dir.write("page", "<!DOCTYPE html>\n<html><body>404 Not Found</body></html>"),
                       "byte 0", "an HTML/XML page");
    }
    SECTION("a file still gzip after decompression (compressed twice)") {
        check_rejected(dir.write("twice.gz", mm::gzip_compress(mm::gzip_compress(good))),
                       "byte 0", "gzip-compressed twice");
    }
    SECTION("unknown element type") {
        check_rejected(dir.write("type", header(0x07, {1}) + "x"), "byte 2", "found 0x07");
    }
    SECTION("zero dimensions") {
        check_rejected(dir.write("ndim", header(0x08, {})), "byte 3",
                       "expected at least 1 dimension, found 0");
    }
    SECTION("dimension sizes cut short") {
        check_rejected(dir.write("dims", header(0x08, {2, 3}).substr(0, 10)), "byte 10",
                       "expected 2 dimension sizes");
    }
    SECTION("a zero-size dimension") {
        check_rejected(dir.write("zero", header(0x08, {2, 0, 3})), "byte 8",
                       "expected dimension 1 of 3 to be at least 1, found 0");
    }
    SECTION("a size product that overflows") {
        check_rejected(dir.write("overflow", header(0x0E, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF})),
                       "byte 4", "overflows");
    }
    SECTION("truncated payload") {
        check_rejected(dir.write("trunc", good.substr(0, good.size() - 1)), "byte 12",
                       "expected 6 bytes of data (uint8 (0x08) 2x3), found only 5 bytes");
    }
    SECTION("trailing bytes") {
        check_rejected(dir.write("trail", good + "ab"), "byte 18", "found 2 trailing bytes");
    }
    SECTION("a 20-byte file claiming gigabytes is rejected from its header") {
        check_rejected(dir.write("huge", header(0x08, {60000, 60000, 60000}) + "1234"),
                       "byte 16", "found only 4 bytes after the header (truncated file)");
    }
    SECTION("a small gzip file claiming gigabytes is rejected from its header") {
        check_rejected(dir.write("huge.gz", mm::gzip_compress(header(0x0E, {60000, 60000, 60000}))),
                       "byte 16", "decompresses to at most");
    }
    SECTION("gzip content shorter than declared") {
        check_rejected(dir.write("trunc.gz", mm::gzip_compress(good.substr(0, 15))), "byte 15",
                       "found the end of the content after 3 (truncated file)");
    }
    SECTION("gzip content longer than declared") {
        check_rejected(dir.write("trail.gz", mm::gzip_compress(good + "z")), "byte 18",
                       "found trailing data");
    }
    SECTION("corrupt gzip: bad CRC") {
        std::string gz = mm::gzip_compress(good);
        gz[gz.size() - 8] = static_cast<char>(gz[gz.size() - 8] ^ 0x01);
        check_rejected(dir.write("crc.gz", gz), "of the gzip file", "incorrect data check");
    }
    SECTION("corrupt gzip: truncated stream") {
        const std::string gz = mm::gzip_compress(good);
        check_rejected(dir.write("cut.gz", gz.substr(0, gz.size() - 6)),
                       "byte " + std::to_string(gz.size() - 6) + " of the gzip file",
                       "truncated gzip stream");
    }
    SECTION("garbage after the gzip stream") {
        check_rejected(dir.write("junk.gz", mm::gzip_compress(good) + "junk"), "of the gzip file",
                       "found trailing byte 0x6A");
    }
    SECTION("the wrong element type or dimension count for the caller") {
        const auto path = dir.write("ok", good);
        CHECK_THROWS_WITH((mm::read_idx_tensor<std::int32_t, 2>(path)),
                          Contains("byte 2") && Contains("expected element type int32 (0x0C), found uint8 (0x08)"));
        CHECK_THROWS_WITH((mm::read_idx_tensor<std::uint8_t, 3>(path)),
                          Contains("byte 3") && Contains("expected 3 dimension(s), found 2"));
    }
}
