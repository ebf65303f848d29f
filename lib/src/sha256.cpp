#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/sha256.hpp>

#include <openssl/evp.h>

#include <vector>

namespace mm {

struct Sha256::Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
    void start() {
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
            throw Error("OpenSSL could not start a SHA-256 digest");
    }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) { context_->start(); }
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_->ctx, data, size) != 1)
        throw Error("OpenSSL SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_->ctx, digest, &length) != 1)
        throw Error("OpenSSL SHA-256 final failed");
    context_->start();
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += digits[digest[i] >> 4];
        hex += digits[digest[i] & 15];
    }
    return hex;
}

std::string sha256_hex(std::string_view data) {
    Sha256 hasher;
    hasher.update(data.data(), data.size());
    return hasher.hex_digest();
}

std::string content_sha256_hex(const std::string& path) {
    ContentReader in(path);
    Sha256 hasher;
    std::vector<unsigned char> buffer(1 << 20);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) hasher.update(buffer.data(), n);
    return hasher.hex_digest();
}

}  // namespace mm
