// The IDX reader on any bytes, plain or gzip. The first input byte picks how the rest reaches the
// reader: as the file itself (which may be gzip already), or gzip-compressed by our writer, so
// that the fuzzer explores IDX headers behind a valid gzip layer too. Only mm::Error may escape;
// a file that loads must re-encode to the very bytes that were read.
#include "fuzz_support.hpp"

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>

#include <variant>

namespace {

const mm::fuzz::ScratchFile& scratch() {
    static const mm::fuzz::ScratchFile file("input.idx");
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool compress = (data[0] & 1) != 0;
    const std::string_view content = mm::fuzz::bytes_of(data + 1, size - 1);
    const std::string& path =
        scratch().write(compress ? mm::gzip_compress(content) : std::string(content));

    try {
        const mm::IdxHeader header = mm::read_idx_header(path);
        const mm::IdxArray array = mm::read_idx(path);
        const bool plain = !compress && !mm::has_gzip_magic(data + 1, size - 1);
        std::visit(
            [&](const auto& values) {
                if (values.size() != header.element_count())
                    mm::fuzz::fail("read_idx and read_idx_header disagree on the element count");
                if (!plain) return;
                using T = typename std::decay_t<decltype(values)>::value_type;
                std::vector<T> native(values.begin(), values.end());
                if (mm::encode_idx(header.type, header.shape, native.data()) != content)
                    mm::fuzz::fail("a file that loads does not re-encode to its own bytes");
            },
            array);
    } catch (const mm::Error&) {
    }
    return 0;
}
