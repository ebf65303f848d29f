#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/sha256.hpp>

#include <openssl/evp.h>

#include <dlfcn.h>

#include <vector>

namespace mm {
namespace {

// libcrypto is opened at run time rather than linked: the top-level CMakeLists (owned by the
// lead) does not link OpenSSL, and every other target must keep linking without it. The
// function types come from <openssl/evp.h>, so the calls stay type-checked.
struct Libcrypto {
    decltype(&EVP_MD_CTX_new) ctx_new = nullptr;
    decltype(&EVP_MD_CTX_free) ctx_free = nullptr;
    decltype(&EVP_sha256) sha256 = nullptr;
    decltype(&EVP_DigestInit_ex) init = nullptr;
    decltype(&EVP_DigestUpdate) update = nullptr;
    decltype(&EVP_DigestFinal_ex) final = nullptr;
};

template <class F>
void bind(void* handle, const char* name, F& f) {
    f = reinterpret_cast<F>(::dlsym(handle, name));
    if (!f) throw Error(std::string("libcrypto has no ") + name);
}

const Libcrypto& libcrypto() {
    static const Libcrypto lib = [] {
        void* handle = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            throw Error("SHA-256 needs OpenSSL's libcrypto.so.3 (Debian package libssl3): " +
                        std::string(::dlerror()));
        Libcrypto l;
        bind(handle, "EVP_MD_CTX_new", l.ctx_new);
        bind(handle, "EVP_MD_CTX_free", l.ctx_free);
        bind(handle, "EVP_sha256", l.sha256);
        bind(handle, "EVP_DigestInit_ex", l.init);
        bind(handle, "EVP_DigestUpdate", l.update);
        bind(handle, "EVP_DigestFinal_ex", l.final);
        return l;
    }();
    return lib;
}

}  // namespace

struct Sha256::Context {
    const Libcrypto& lib = libcrypto();
    EVP_MD_CTX* ctx = lib.ctx_new();
    ~Context() { lib.ctx_free(ctx); }
    void start() {
        if (!ctx || lib.init(ctx, lib.sha256(), nullptr) != 1)
            throw Error("OpenSSL could not start a SHA-256 digest");
    }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) { context_->start(); }
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    if (context_->lib.update(context_->ctx, data, size) != 1)
        throw Error("OpenSSL SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (context_->lib.final(context_->ctx, digest, &length) != 1)
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
