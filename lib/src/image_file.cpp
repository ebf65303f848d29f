#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/image_file.hpp>

#include <png.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>

namespace mm {
namespace {

constexpr std::size_t kMaxSide = 16384;

std::vector<unsigned char> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the image file");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// PGM header fields are whitespace-separated decimals with '#' comments.
class PgmHeader {
public:
    PgmHeader(const std::string& path, const std::vector<unsigned char>& bytes)
        : path_(path), bytes_(bytes) {}

    std::size_t number(const char* what) {
        skip_space();
        const std::size_t start = pos_;
        std::size_t v = 0;
        while (pos_ < bytes_.size() && std::isdigit(bytes_[pos_])) {
            v = v * 10 + (bytes_[pos_++] - '0');
            if (v > 1u << 30) break;
        }
        if (pos_ == start || v > 1u << 30)
            throw Error(path_ + ": byte " + std::to_string(start) + ": expected the PGM " + what +
                        " as a decimal number");
        return v;
    }
    std::size_t pos() const { return pos_; }
    void skip_one_space() { ++pos_; }

private:
    void skip_space() {
        while (pos_ < bytes_.size()) {
            if (bytes_[pos_] == '#')
                while (pos_ < bytes_.size() && bytes_[pos_] != '\n') ++pos_;
            else if (std::isspace(bytes_[pos_]))
                ++pos_;
            else
                break;
        }
    }
    const std::string& path_;
    const std::vector<unsigned char>& bytes_;
    std::size_t pos_ = 2;
};

GrayImage read_pgm(const std::string& path, const std::vector<unsigned char>& bytes) {
    const bool ascii = bytes[1] == '2';
    PgmHeader header(path, bytes);
    GrayImage img;
    img.cols = header.number("width");
    img.rows = header.number("height");
    const std::size_t maxval = header.number("maximum value");
    if (img.cols == 0 || img.rows == 0 || img.cols > kMaxSide || img.rows > kMaxSide)
        throw Error(path + ": expected a PGM size from 1x1 to " + std::to_string(kMaxSide) + "x" +
                    std::to_string(kMaxSide) + ", found " + std::to_string(img.cols) + "x" +
                    std::to_string(img.rows));
    if (maxval == 0 || maxval > 255)
        throw Error(path + ": expected a PGM maximum value from 1 to 255 (8-bit), found " +
                    std::to_string(maxval));
    const std::size_t n = img.rows * img.cols;
    img.pixels.resize(n);
    auto scale = [&](std::size_t v) { return static_cast<std::uint8_t>((v * 255 + maxval / 2) / maxval); };
    if (ascii) {
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = header.pos();
            const std::size_t v = header.number("pixel value");
            if (v > maxval)
                throw Error(path + ": byte " + std::to_string(at) + ": pixel value " +
                            std::to_string(v) + " exceeds the maximum " + std::to_string(maxval));
            img.pixels[i] = scale(v);
        }
        return img;
    }
    header.skip_one_space();
    const std::size_t offset = header.pos();
    if (bytes.size() < offset || bytes.size() - offset != n)
        throw Error(path + ": byte " + std::to_string(offset) + ": expected " + std::to_string(n) +
                    " bytes of pixels for " + std::to_string(img.cols) + "x" +
                    std::to_string(img.rows) + ", found " +
                    std::to_string(bytes.size() > offset ? bytes.size() - offset : 0));
    for (std::size_t i = 0; i < n; ++i) {
        if (bytes[offset + i] > maxval)
            throw Error(path + ": byte " + std::to_string(offset + i) + ": pixel value exceeds " +
                        "the maximum " + std::to_string(maxval));
        img.pixels[i] = scale(bytes[offset + i]);
    }
    return img;
}

GrayImage read_png(const std::string& path) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw Error(path + ": not a readable PNG file: " + image.message);
    if (image.width == 0 || image.height == 0 || image.width > kMaxSide || image.height > kMaxSide) {
        png_image_free(&image);
        throw Error(path + ": expected a PNG size up to " + std::to_string(kMaxSide) + " pixels a side");
    }
    image.format = PNG_FORMAT_GRAY;
    GrayImage img;
    img.rows = image.height;
    img.cols = image.width;
    img.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, img.pixels.data(), 0, nullptr)) {
        const std::string message = image.message;
        png_image_free(&image);
        throw Error(path + ": damaged PNG data: " + message);
    }
    return img;
}

}  // namespace

GrayImage read_gray_image(const std::string& path) {
    const auto bytes = read_all(path);
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), png_signature, 8) == 0) return read_png(path);
    if (bytes.size() >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5'))
        return read_pgm(path, bytes);
    throw Error(path + ": byte 0: expected a PNG signature or a PGM header (P2 or P5)");
}

}  // namespace mm
