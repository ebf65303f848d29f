// Writes the seed corpora of the fuzz targets with the project's own writers: IDX files of the
// synthetic dataset (plain and gzip), and the config, logs, checkpoint and model of a small
// training run on it. Usage: fuzz_seed_corpus CORPUS_DIR (the dir holding idx/, config/, ...).
#include "seed_run.hpp"
#include "synthetic_mnist.hpp"
#include "temp_dir.hpp"

#include <mnist_minibatch/gzip.hpp>
#include <mnist_minibatch/idx.hpp>
#include <mnist_minibatch/trainer.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void put(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path corpus = argv[1];
    const mm::test::TempDir tmp;
    const std::string data = tmp.path() + "/data";
    fs::create_directories(data);
    mm::test::write_synthetic_mnist(data, mm::fuzz::kSeedTrainSize, mm::fuzz::kSeedTestSize);

    // fuzz_idx: the first byte 0 passes the rest as the file, 1 gzips it first.
    // Seeds are named by what they hold, not by MNIST's file names: the repository's checks
    // treat files named like MNIST data as committed data.
    const std::pair<const char*, const char*> files[] = {{"t10k-images-idx3-ubyte", "images"},
                                                         {"t10k-labels-idx1-ubyte", "labels"}};
    for (const auto& [file, seed] : files) {
        const std::string bytes = slurp(data + "/" + file);
        put(corpus / "idx" / (std::string(seed) + ".plain"), std::string(1, '\0') + bytes);
        put(corpus / "idx" / (std::string(seed) + ".gzip-by-target"), std::string(1, '\1') + bytes);
        put(corpus / "idx" / (std::string(seed) + ".gzip"),
            std::string(1, '\0') + mm::gzip_compress(bytes));
    }
    const double values[] = {0.5, -1.25, 3e-7, 1e300};
    put(corpus / "idx" / "float64-2x2.plain",
        std::string(1, '\0') + mm::encode_idx(mm::IdxType::float64, {2, 2}, values));

    for (const std::string dtype : {"float32", "float64"}) {
        const std::string run = tmp.path() + "/run-" + dtype;
        mm::TrainOptions options;
        options.quiet = true;
        mm::train(mm::fuzz::seed_run_config(data, run, dtype), options);
        put(corpus / "config" / (dtype + ".json"), slurp(run + "/config.json"));
        put(corpus / "model" / ("model-" + dtype + ".json"), slurp(run + "/model.json"));
        put(corpus / "model" / ("checkpoint-" + dtype + ".json"), slurp(run + "/checkpoint.json"));
        if (dtype == "float32") {
            // fuzz_csv_log: the first byte's low bit picks loss.csv (0) or epochs.csv (1)
            // columns, the rest of it where the text is cut in two.
            put(corpus / "csv_log" / "loss.csv", std::string(1, '\x40') + slurp(run + "/loss.csv"));
            put(corpus / "csv_log" / "epochs.csv",
                std::string(1, '\x21') + slurp(run + "/epochs.csv"));
        }
    }
    // A config file with two --set overrides after it (NUL-separated).
    put(corpus / "config" / "with-overrides",
        slurp(corpus / "config" / "float32.json") + std::string(1, '\0') + "training.epochs=2" +
            std::string(1, '\0') + "model.hidden_sizes=[4,4]");
    std::printf("seed corpus written to %s\n", corpus.string().c_str());
    return 0;
}
