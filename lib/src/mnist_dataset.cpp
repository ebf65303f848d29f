#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/idx.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/sha256.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace mm {
namespace {

const char* environment_variable(const std::string& dataset_name) {
    if (dataset_name == "mnist") return "MNIST_DATA_DIR";
    if (dataset_name == "fashion-mnist") return "FASHION_MNIST_DATA_DIR";
    throw Error("unknown dataset '" + dataset_name + "': expected 'mnist' or 'fashion-mnist'");
}

std::string fetch_command(const std::string& dir, const std::string& dataset_name) {
    return "mnist-train dataset fetch" +
           (dataset_name == "mnist" ? std::string() : " --dataset " + dataset_name) + " --data " +
           dir;
}

// Reads one file of a split, stating what the other kind of file looks like so that swapped
// image and label files are named as such.
template <std::size_t N>
xt::xtensor<std::uint8_t, N> read_mnist_file(const std::string& path, std::string* sha256) {
    std::optional<Sha256> hasher;
    ContentObserver observer;
    if (sha256) {
        hasher.emplace();
        observer = [&hasher](const unsigned char* d, std::size_t n) { hasher->update(d, n); };
    }
    IdxStream stream(path, observer);
    const std::size_t other = N == 3 ? 1 : 3;
    if (stream.header().shape.size() == other)
        throw Error(stream.where(3) + ": expected " + (N == 3 ? "an image" : "a label") +
                    " file (" + std::to_string(N) + "-D), found a " + std::to_string(other) +
                    "-D file (" + stream.header().describe() + ") that looks like " +
                    (N == 3 ? "labels" : "images") + ": were the image and label files swapped?");
    auto values = stream.read_tensor<std::uint8_t, N>();
    if (sha256) *sha256 = hasher->hex_digest();
    return values;
}

MnistSplit load_split(const std::string& images_path, const std::string& labels_path,
                      std::size_t num_classes, SplitChecksums* checksums) {
    MnistSplit split;
    split.images = read_mnist_file<3>(images_path, checksums ? &checksums->images_sha256 : nullptr);
    split.labels = read_mnist_file<1>(labels_path, checksums ? &checksums->labels_sha256 : nullptr);
    const std::size_t n_images = split.images.shape(0);
    if (split.labels.size() != n_images)
        throw Error("'" + labels_path + "': byte 4: expected " + std::to_string(n_images) +
                    " labels (one per image in '" + images_path + "'), found " +
                    std::to_string(split.labels.size()));
    for (std::size_t i = 0; i < split.labels.size(); ++i)
        if (split.labels(i) >= num_classes)
            throw Error("'" + labels_path + "': byte " + std::to_string(8 + i) +
                        " (content, after any gzip decompression): expected a label below " +
                        std::to_string(num_classes) + " for item " + std::to_string(i) +
                        ", found " + std::to_string(split.labels(i)));
    return split;
}

}  // namespace

std::string resolve_data_dir(const std::string& dataset_name, const std::string& explicit_dir) {
    const char* variable = environment_variable(dataset_name);
    if (!explicit_dir.empty()) return explicit_dir;
    if (const char* env = std::getenv(variable); env && *env) return env;
    if (dataset_name == "fashion-mnist") {
        const std::string packaged = "/usr/share/datasets/fashion-mnist";
        std::error_code ec;
        return fs::is_directory(packaged, ec) ? packaged : "datasets/fashion-mnist";
    }
    return "datasets/mnist";
}

const std::array<std::string, 4>& mnist_file_names() {
    static const std::array<std::string, 4> names{"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                                  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    return names;
}

std::vector<std::string> mnist_file_variants(const std::string& standard_name) {
    std::string dotted = standard_name;
    const auto dash = dotted.rfind("-idx");
    if (dash != std::string::npos) dotted[dash] = '.';
    return {standard_name, standard_name + ".gz", dotted, dotted + ".gz"};
}

MnistFiles find_mnist_files(const std::string& dir, const std::string& dataset_name) {
    const char* variable = environment_variable(dataset_name);
    std::error_code ec;
    const std::string how = "; point to the folder with --data DIR (config: dataset.dir) or " +
                            std::string(variable) + ", or fetch the data with: " + fetch_command(dir, dataset_name) +
                            (dataset_name == "fashion-mnist"
                                 ? " (or: apt-get install dataset-fashion-mnist)"
                                 : "");
    if (!fs::is_directory(dir, ec))
        throw Error("dataset '" + dataset_name + "' not found: looked in '" + dir +
                    "', which is not a directory" + how);
    std::array<std::string, 4> found;
    std::string missing;
    for (std::size_t i = 0; i < 4; ++i) {
        for (const auto& variant : mnist_file_variants(mnist_file_names()[i])) {
            const fs::path p = fs::path(dir) / variant;
            if (fs::exists(p, ec)) {
                found[i] = p.string();
                break;
            }
        }
        if (found[i].empty()) missing += (missing.empty() ? "" : ", ") + mnist_file_names()[i] + "[.gz]";
    }
    if (!missing.empty())
        throw Error("dataset '" + dataset_name + "' incomplete: looked in '" + dir + "' for " +
                    missing + " (also dot-named, e.g. train-images.idx3-ubyte), found none" + how);
    return {found[0], found[1], found[2], found[3]};
}

MnistSplit load_mnist_split(const std::string& images_path, const std::string& labels_path,
                            std::size_t num_classes) {
    return load_split(images_path, labels_path, num_classes, nullptr);
}

MnistSplit load_mnist_split(const std::string& images_path, const std::string& labels_path,
                            std::size_t num_classes, SplitChecksums& checksums) {
    return load_split(images_path, labels_path, num_classes, &checksums);
}

MnistDataset load_mnist(const std::string& dir, const std::string& dataset_name,
                        std::size_t num_classes) {
    const MnistFiles files = find_mnist_files(dir, dataset_name);
    MnistDataset data;
    data.name = dataset_name;
    data.dir = dir;
    data.num_classes = num_classes;
    data.train = load_mnist_split(files.train_images, files.train_labels, num_classes);
    data.test = load_mnist_split(files.test_images, files.test_labels, num_classes);
    const auto& a = data.train.images.shape();
    const auto& b = data.test.images.shape();
    if (a[1] != b[1] || a[2] != b[2])
        throw Error("'" + files.test_images + "': byte 8: expected test images of the train images' "
                    "size " + std::to_string(a[1]) + "x" + std::to_string(a[2]) + ", found " +
                    std::to_string(b[1]) + "x" + std::to_string(b[2]));
    return data;
}

std::vector<std::size_t> label_histogram(const MnistSplit& split, std::size_t num_classes) {
    std::vector<std::size_t> counts(num_classes, 0);
    for (const std::uint8_t label : split.labels)
        if (label < num_classes) ++counts[label];
    return counts;
}

PixelMoments pixel_moments(const MnistSplit& split) {
    // A histogram of the 256 byte values makes the sums exact and the pass cheap.
    std::array<std::uint64_t, 256> counts{};
    for (const std::uint8_t p : split.images) ++counts[p];
    double sum = 0.0, sum_squares = 0.0;
    for (std::size_t p = 0; p < 256; ++p) {
        const double x = normalize_pixel(static_cast<std::uint8_t>(p));
        sum += x * static_cast<double>(counts[p]);
        sum_squares += x * x * static_cast<double>(counts[p]);
    }
    const double n = static_cast<double>(split.images.size());
    PixelMoments m;
    m.mean = sum / n;
    m.std = std::sqrt(std::max(0.0, sum_squares / n - m.mean * m.mean));
    return m;
}

}  // namespace mm
