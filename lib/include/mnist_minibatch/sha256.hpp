#pragma once
// SHA-256 by OpenSSL's libcrypto (EVP API): incremental, so a file can be checksummed in the same
// pass that reads it.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mm {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(const void* data, std::size_t size);
    // The digest of everything seen, as 64 lowercase hex digits; the hasher then starts over.
    std::string hex_digest();

private:
    struct Context;
    std::unique_ptr<Context> context_;
};

std::string sha256_hex(std::string_view data);

// SHA-256 of a file's content, decompressed first when it is gzip (the content check that
// survives mirrors recompressing the archives).
std::string content_sha256_hex(const std::string& path);

}  // namespace mm
