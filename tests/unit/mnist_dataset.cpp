#include <catch2/catch.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/mnist_fetch.hpp>
#include <mnist_minibatch/sha256.hpp>

#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

void write_split(const std::string& dir, const std::string& images_name, const std::string& labels_name,
                 std::size_t n, mm::IdxCompression c = mm::IdxCompression::none) {
    xt::xtensor<std::uint8_t, 3> images = xt::zeros<std::uint8_t>({n, std::size_t{4}, std::size_t{3}});
    xt::xtensor<std::uint8_t, 1> labels = xt::zeros<std::uint8_t>({n});
    for (std::size_t i = 0; i < n; ++i) {
        labels(i) = static_cast<std::uint8_t>(i % 10);
        images(i, i % 4, i % 3) = static_cast<std::uint8_t>(255 - i);
    }
    mm::write_idx(dir + "/" + images_name, images, c);
    mm::write_idx(dir + "/" + labels_name, labels, c);
}

std::string run_cli(const std::string& args, int& status) {
    const std::string command = std::string(MM_TRAIN_BINARY) + " " + args + " 2>&1";
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    status = WEXITSTATUS(pclose(p));
    return out;
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[mnist_dataset][sha256]") {
    CHECK(mm::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(mm::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(mm::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    mm::Sha256 incremental;
    const std::string a(1000, 'a');
    for (int i = 0; i < 1000; ++i) incremental.update(a.data(), a.size());
    CHECK(incremental.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(incremental.hex_digest() == mm::sha256_hex(""));  // starts over after a digest
}

TEST_CASE("Content checksums ignore the gzip wrapping", "[mnist_dataset][sha256]") {
    mm::test::TempDir dir;
    std::ofstream(dir.path() + "/plain", std::ios::binary) << "abc";
    std::ofstream(dir.path() + "/packed", std::ios::binary) << mm::gzip_compress("abc", 1);
    CHECK(mm::content_sha256_hex(dir.path() + "/plain") == mm::sha256_hex("abc"));
    CHECK(mm::content_sha256_hex(dir.path() + "/packed") == mm::sha256_hex("abc"));
}

TEST_CASE("datasets/SHA256SUMS lists exactly the compiled-in checksums", "[mnist_dataset]") {
    std::ifstream in(std::string(MM_SOURCE_DIR) + "/datasets/SHA256SUMS");
    REQUIRE(in);
    std::string sum, path;
    std::size_t lines = 0;
    while (in >> sum >> path) {
        const auto slash = path.find('/');
        INFO(path);
        CHECK(mm::expected_content_sha256(path.substr(0, slash), path.substr(slash + 1)) == sum);
        ++lines;
    }
    CHECK(lines == 8);
    CHECK_FALSE(mm::expected_content_sha256("mnist", "other-file"));
}

TEST_CASE("MNIST files are found by standard, dot-named and .gz names", "[mnist_dataset]") {
    mm::test::TempDir dir;
    write_split(dir.path(), "train-images.idx3-ubyte", "train-labels-idx1-ubyte.gz", 12, mm::IdxCompression::gzip);
    write_split(dir.path(), "t10k-images-idx3-ubyte", "t10k-labels.idx1-ubyte.gz", 5);
    const mm::MnistFiles files = mm::find_mnist_files(dir.path());
    CHECK(files.train_images == dir.path() + "/train-images.idx3-ubyte");
    CHECK(files.train_labels == dir.path() + "/train-labels-idx1-ubyte.gz");
    CHECK(files.test_images == dir.path() + "/t10k-images-idx3-ubyte");
    CHECK(files.test_labels == dir.path() + "/t10k-labels.idx1-ubyte.gz");

    const mm::MnistDataset data = mm::load_mnist(dir.path());
    CHECK(data.train.size() == 12);
    CHECK(data.test.size() == 5);
    CHECK(data.train.pixels() == 12);
    CHECK(data.train.labels(11) == 1);
    CHECK(data.train.images(11, 3, 2) == 244);
    CHECK(mm::label_histogram(data.train) == std::vector<std::size_t>{2, 2, 1, 1, 1, 1, 1, 1, 1, 1});
}

TEST_CASE("A missing dataset says where it looked and how to fetch it", "[mnist_dataset]") {
    mm::test::TempDir dir;
    CHECK_THROWS_WITH(mm::find_mnist_files(dir.path() + "/nope"),
                      Contains(dir.path() + "/nope") && Contains("mnist-train dataset fetch --data " + dir.path() + "/nope"));
    write_split(dir.path(), "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 3);
    CHECK_THROWS_WITH(mm::find_mnist_files(dir.path(), "fashion-mnist"),
                      Contains("t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]") &&
                          Contains("--dataset fashion-mnist") && Contains("FASHION_MNIST_DATA_DIR"));
}

TEST_CASE("The data folder: explicit, then environment, then the default", "[mnist_dataset]") {
    const char* saved = std::getenv("MNIST_DATA_DIR");
    const std::string restore = saved ? saved : "";
    ::setenv("MNIST_DATA_DIR", "/from/env", 1);
    CHECK(mm::resolve_data_dir("mnist", "/explicit") == "/explicit");
    CHECK(mm::resolve_data_dir("mnist", "") == "/from/env");
    ::unsetenv("MNIST_DATA_DIR");
    CHECK(mm::resolve_data_dir("mnist", "") == "datasets/mnist");
    CHECK_THROWS_WITH(mm::resolve_data_dir("cifar", ""), Contains("unknown dataset 'cifar'"));
    if (saved) ::setenv("MNIST_DATA_DIR", restore.c_str(), 1);
}

TEST_CASE("Split checks: shapes, swapped files, counts, label range", "[mnist_dataset]") {
    mm::test::TempDir dir;
    const std::string d = dir.path();
    write_split(d, "img", "lab", 6);
    write_split(d, "img7", "lab7", 7);
    CHECK_THROWS_WITH(mm::load_mnist_split(d + "/lab", d + "/img"),
                      Contains("'" + d + "/lab': byte 3") && Contains("were the image and label files swapped?"));
    CHECK_THROWS_WITH(mm::load_mnist_split(d + "/img", d + "/lab7"),
                      Contains("'" + d + "/lab7': byte 4") && Contains("expected 6 labels") && Contains("found 7"));
    CHECK_THROWS_WITH(mm::load_mnist_split(d + "/img", d + "/lab", 5),
                      Contains("'" + d + "/lab': byte 13") && Contains("expected a label below 5 for item 5, found 5"));
    const xt::xtensor<std::int32_t, 1> wide = {1, 2, 3, 4, 5, 6};
    mm::write_idx(d + "/wide", wide);
    CHECK_THROWS_WITH(mm::load_mnist_split(d + "/img", d + "/wide"),
                      Contains("byte 2") && Contains("expected element type uint8 (0x08), found int32 (0x0C)"));
    mm::SplitChecksums sums;
    const auto split = mm::load_mnist_split(d + "/img", d + "/lab", 10, sums);
    CHECK(sums.images_sha256 == mm::content_sha256_hex(d + "/img"));
    CHECK(sums.labels_sha256 == mm::content_sha256_hex(d + "/lab"));
}

TEST_CASE("Pixel moments are those of float32(p)/255", "[mnist_dataset]") {
    mm::MnistSplit split;
    split.images = xt::xtensor<std::uint8_t, 3>({{{0, 255}}, {{51, 102}}});
    split.labels = xt::xtensor<std::uint8_t, 1>({0, 1});
    const mm::PixelMoments m = mm::pixel_moments(split);
    CHECK(m.mean == Approx((0.0 + 1.0 + 0.2 + 0.4) / 4).epsilon(1e-7));
    CHECK(m.std == Approx(std::sqrt((0.0 + 1.0 + 0.04 + 0.16) / 4 - 0.4 * 0.4)).epsilon(1e-6));
    xt::xtensor<float, 2> x;
    const std::size_t idx[2] = {1, 0};
    mm::gather_images(split, idx, 2, true, x);
    CHECK(x(0, 0) == 51.0f / 255.0f);
    CHECK(x(1, 1) == 1.0f);
}

TEST_CASE("fetch: mirrors tried in order, content verified, atomic, verified files skipped", "[mnist_dataset][fetch]") {
    mm::test::TempDir dir;
    const std::string good = dir.path() + "/good", bad = dir.path() + "/bad", target = dir.path() + "/target";
    fs::create_directories(bad);
    write_split(dir.path(), "plain-images", "plain-labels", 4);
    fs::create_directories(good);
    mm::FetchOptions o;
    o.dir = target;
    for (const auto& name : mm::mnist_file_names()) {
        const std::string source = dir.path() + (name.find("images") != std::string::npos ? "/plain-images" : "/plain-labels");
        // The mirror recompresses: only the content checksum can accept it.
        std::ifstream in(source, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        std::ofstream(good + "/" + name + ".gz", std::ios::binary) << mm::gzip_compress(bytes.str(), 9);
        std::ofstream(bad + "/" + name + ".gz", std::ios::binary) << mm::gzip_compress("<html>not it</html>");
        o.checksums[name] = mm::content_sha256_hex(source);
    }
    o.mirrors = {"file://" + dir.path() + "/nowhere", "file://" + bad};
    std::ostringstream log;
    CHECK_THROWS_WITH(mm::fetch_dataset(o, log),
                      Contains("could not fetch train-images-idx3-ubyte") &&
                          Contains("file://" + dir.path() + "/nowhere/train-images-idx3-ubyte.gz: curl exited") &&
                          Contains("file://" + bad + "/train-images-idx3-ubyte.gz: SHA-256 of the uncompressed content is"));
    CHECK(fs::is_empty(target));  // nothing unverified is kept

    o.mirrors.push_back("file://" + good);
    mm::fetch_dataset(o, log);
    CHECK_THAT(log.str(), Contains("train-images-idx3-ubyte: fetched from file://" + good + "/train-images-idx3-ubyte.gz"));
    const mm::MnistDataset data = mm::load_mnist(target);
    CHECK(data.train.size() == 4);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(target)) files += entry.is_regular_file();
    CHECK(files == 4);  // no temporary files left behind

    std::ostringstream again;
    mm::fetch_dataset(o, again);
    CHECK_THAT(again.str(), Contains("t10k-labels-idx1-ubyte: " + target + "/t10k-labels-idx1-ubyte.gz already verified, skipped"));
    CHECK_THAT(again.str(), !Contains("fetched"));

    // A damaged copy is replaced; a stale raw copy that would shadow the .gz is removed.
    std::ofstream(target + "/t10k-labels-idx1-ubyte", std::ios::binary) << "junk";
    std::ostringstream repair;
    mm::fetch_dataset(o, repair);
    CHECK_THAT(repair.str(), Contains("t10k-labels-idx1-ubyte: " + target + "/t10k-labels-idx1-ubyte does not verify"));
    CHECK_FALSE(fs::exists(target + "/t10k-labels-idx1-ubyte"));

    // --from a local folder: no download at all.
    mm::FetchOptions local = o;
    local.mirrors.clear();
    local.from = good;
    local.dir = dir.path() + "/copied";
    std::ostringstream copied;
    mm::fetch_dataset(local, copied);
    CHECK_THAT(copied.str(), Contains("fetched from " + good + "/train-images-idx3-ubyte.gz"));
    CHECK(mm::load_mnist(local.dir).test.size() == 4);
}

TEST_CASE("The dataset command reports bad input once and exits non-zero", "[mnist_dataset][cli]") {
    mm::test::TempDir dir;
    int status = 0;
    std::string out = run_cli("dataset info " + dir.path(), status);
    CHECK(status == 1);
    CHECK_THAT(out, Contains("mnist-train: error: dataset 'mnist' incomplete: looked in '" + dir.path() + "'"));
    write_split(dir.path(), "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 3);
    write_split(dir.path(), "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 2);
    out = run_cli("dataset show --index 2 --data " + dir.path(), status);
    CHECK(status == 0);
    CHECK_THAT(out, Contains("train[2]: label 2 (2)") && Contains("██"));
    out = run_cli("dataset show --index 2 --split test --data " + dir.path(), status);
    CHECK(status == 1);
    CHECK_THAT(out, Contains("--index 2: expected an index below 2"));
    out = run_cli("dataset verify " + dir.path(), status);
    CHECK(status == 1);
    CHECK_THAT(out, Contains("MISMATCH train-images-idx3-ubyte") && Contains("NOT verified"));
    std::ofstream(dir.path() + "/t10k-labels-idx1-ubyte", std::ios::binary) << "<html>404</html>";
    out = run_cli("dataset info " + dir.path(), status);
    CHECK(status == 1);
    CHECK_THAT(out, Contains("'" + dir.path() + "/t10k-labels-idx1-ubyte': byte 0") && Contains("HTML/XML page"));
}
