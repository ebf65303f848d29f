#include <catch2/catch.hpp>

#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/mnist_fetch.hpp>

#include "temp_dir.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

using Catch::Matchers::Contains;

namespace {

// The real-data suite must fail, not skip, when it has no data.
std::string data_dir() {
    const char* dir = std::getenv("MNIST_DATA_DIR");
    if (!dir || !*dir) FAIL("MNIST_DATA_DIR is not set: point it at the MNIST folder (../shared/datasets/mnist)");
    return dir;
}

double round4(double x) { return std::round(x * 1e4) / 1e4; }

}  // namespace

TEST_CASE("Real MNIST: counts, first labels, histograms, pixel moments, checksums", "[data][mnist]") {
    const mm::MnistFiles files = mm::find_mnist_files(data_dir());
    mm::SplitChecksums train_sums, test_sums;
    const mm::MnistSplit train = mm::load_mnist_split(files.train_images, files.train_labels, 10, train_sums);
    const mm::MnistSplit test = mm::load_mnist_split(files.test_images, files.test_labels, 10, test_sums);

    CHECK(train.size() == 60000);
    CHECK(test.size() == 10000);
    CHECK(train.images.shape(1) == 28);
    CHECK(train.images.shape(2) == 28);
    CHECK(train.images.size() == 47040000);  // one byte per pixel in memory
    const std::vector<int> first{5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
    for (std::size_t i = 0; i < first.size(); ++i) CHECK(train.labels(i) == first[i]);
    CHECK(mm::label_histogram(train) ==
          std::vector<std::size_t>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949});
    CHECK(mm::label_histogram(test) ==
          std::vector<std::size_t>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
    const mm::PixelMoments tm = mm::pixel_moments(train);
    CHECK(round4(tm.mean) == 0.1307);
    CHECK(round4(tm.std) == 0.3081);
    const mm::PixelMoments sm = mm::pixel_moments(test);
    CHECK(round4(sm.mean) == 0.1325);
    CHECK(round4(sm.std) == 0.3105);
    CHECK(train_sums.images_sha256 == *mm::expected_content_sha256("mnist", "train-images-idx3-ubyte"));
    CHECK(train_sums.labels_sha256 == *mm::expected_content_sha256("mnist", "train-labels-idx1-ubyte"));
    CHECK(test_sums.images_sha256 == *mm::expected_content_sha256("mnist", "t10k-images-idx3-ubyte"));
    CHECK(test_sums.labels_sha256 == *mm::expected_content_sha256("mnist", "t10k-labels-idx1-ubyte"));
}

TEST_CASE("fetch --from the shared copy: verified, written, then skipped", "[data][mnist][fetch]") {
    const std::string source = data_dir();
    mm::test::TempDir dir;
    int status = 0;
    auto run = [&](const std::string& args) {
        FILE* p = popen((std::string(MM_TRAIN_BINARY) + " " + args + " 2>&1").c_str(), "r");
        std::string out;
        char buf[4096];
        while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        status = WEXITSTATUS(pclose(p));
        return out;
    };
    std::string out = run("dataset fetch --from " + source + " --data " + dir.path());
    INFO(out);
    CHECK(status == 0);
    CHECK_THAT(out, Contains("train-images-idx3-ubyte: fetched from " + source));
    out = run("dataset fetch --from " + source + " --data " + dir.path());
    CHECK(status == 0);
    CHECK_THAT(out, Contains("train-images-idx3-ubyte.gz already verified, skipped"));
    out = run("dataset verify " + dir.path());
    CHECK(status == 0);
    CHECK_THAT(out, Contains("verified: every uncompressed SHA-256 matches"));
}
