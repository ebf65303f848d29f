#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/png_writer.hpp>

#include <png.h>

#include <cstring>

namespace mm {

RgbImage::RgbImage(std::size_t w, std::size_t h, std::uint8_t r, std::uint8_t g, std::uint8_t b)
    : width(w), height(h), pixels(w * h * 3) {
    for (std::size_t i = 0; i < w * h; ++i) {
        pixels[3 * i] = r;
        pixels[3 * i + 1] = g;
        pixels[3 * i + 2] = b;
    }
}

void RgbImage::set(std::size_t x, std::size_t y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    if (x >= width || y >= height) return;
    std::uint8_t* p = &pixels[(y * width + x) * 3];
    p[0] = r;
    p[1] = g;
    p[2] = b;
}

std::string encode_png(const RgbImage& image) {
    if (image.width == 0 || image.height == 0 || image.pixels.size() != image.width * image.height * 3)
        throw Error("cannot encode a " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + " PNG from " +
                    std::to_string(image.pixels.size()) + " bytes of RGB pixels");
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(image.width);
    png.height = static_cast<png_uint_32>(image.height);
    png.format = PNG_FORMAT_RGB;
    // First call sizes the buffer, second fills it (libpng's documented two-pass use).
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr))
        throw Error(std::string("libpng cannot encode the image: ") + png.message);
    std::string bytes(size, '\0');
    if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr))
        throw Error(std::string("libpng cannot encode the image: ") + png.message);
    bytes.resize(size);
    return bytes;
}

void write_png(const std::string& path, const RgbImage& image) {
    write_file_atomically(path, encode_png(image));
}

}  // namespace mm
