// `mnist-train dataset fetch|verify|info|show`: get MNIST (or Fashion-MNIST), check it byte for
// byte against the known checksums, summarise it and look at single digits.
#include "command_registry.hpp"

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/mnist_fetch.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace {

struct Options {
    std::string dataset = "mnist";
    std::string data_dir;
    std::string from;
    std::vector<std::string> mirrors;
    std::size_t index = 0;
    std::string split = "train";
};

void add_common_options(CLI::App* cmd, Options& o) {
    cmd->add_option("--dataset", o.dataset, "mnist or fashion-mnist")
        ->check(CLI::IsMember({"mnist", "fashion-mnist"}))
        ->capture_default_str();
    cmd->add_option("--data,--data-dir", o.data_dir,
                    "Dataset folder (default: $MNIST_DATA_DIR / $FASHION_MNIST_DATA_DIR, else "
                    "datasets/mnist or /usr/share/datasets/fashion-mnist)");
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

struct CheckedSplit {
    std::string name;
    std::string images_path, labels_path;
    std::string images_standard_name, labels_standard_name;
    mm::MnistSplit split;
    mm::SplitChecksums sums;
};

// Loads both splits with every check, hashing each file in the same pass.
std::vector<CheckedSplit> load_checked(const Options& o, const std::string& dir) {
    const mm::MnistFiles files = mm::find_mnist_files(dir, o.dataset);
    const auto& names = mm::mnist_file_names();
    std::vector<CheckedSplit> splits{
        {"train", files.train_images, files.train_labels, names[0], names[1], {}, {}},
        {"test", files.test_images, files.test_labels, names[2], names[3], {}, {}}};
    for (auto& s : splits) s.split = mm::load_mnist_split(s.images_path, s.labels_path, 10, s.sums);
    return splits;
}

// Prints one line per file; true when every checksum matches.
bool report_checksums(const Options& o, const std::vector<CheckedSplit>& splits) {
    bool all_ok = true;
    for (const auto& s : splits) {
        const std::array<std::array<std::string, 3>, 2> files{
            {{s.images_path, s.images_standard_name, s.sums.images_sha256},
             {s.labels_path, s.labels_standard_name, s.sums.labels_sha256}}};
        for (const auto& [path, name, found] : files) {
            const auto expected = mm::expected_content_sha256(o.dataset, name);
            const bool ok = expected && *expected == found;
            all_ok = all_ok && ok;
            std::printf("  %-8s %-28s sha256 %s%s\n", ok ? "OK" : "MISMATCH", file_name(path).c_str(),
                        found.c_str(), ok ? "" : ("  (expected " + expected.value_or("?") + ")").c_str());
        }
    }
    return all_ok;
}

int run_fetch(const Options& o) {
    mm::FetchOptions f;
    f.dataset = o.dataset;
    f.dir = mm::resolve_data_dir(o.dataset, o.data_dir);
    f.from = o.from;
    f.mirrors = o.mirrors;
    mm::fetch_dataset(f, std::cout);
    std::cout << "dataset '" << o.dataset << "' ready in " << f.dir << "\n";
    return 0;
}

int run_verify(const Options& o) {
    const std::string dir = mm::resolve_data_dir(o.dataset, o.data_dir);
    const auto splits = load_checked(o, dir);
    std::printf("dataset '%s' in %s: all four files parse as IDX\n", o.dataset.c_str(), dir.c_str());
    const bool ok = report_checksums(o, splits);
    std::printf("%s\n", ok ? "verified: every uncompressed SHA-256 matches datasets/SHA256SUMS"
                           : "NOT verified: some checksums differ from datasets/SHA256SUMS");
    return ok ? 0 : 1;
}

int run_info(const Options& o) {
    const std::string dir = mm::resolve_data_dir(o.dataset, o.data_dir);
    const auto splits = load_checked(o, dir);
    std::printf("dataset '%s' in %s\n", o.dataset.c_str(), dir.c_str());
    for (const auto& s : splits) {
        const auto& shape = s.split.images.shape();
        std::printf("%s: %zu images %zux%zu (uint8), %zu labels  [%s, %s]\n", s.name.c_str(),
                    shape[0], shape[1], shape[2], s.split.size(), file_name(s.images_path).c_str(),
                    file_name(s.labels_path).c_str());
        std::printf("  label histogram:");
        const auto histogram = mm::label_histogram(s.split);
        for (std::size_t c = 0; c < histogram.size(); ++c) std::printf(" %zu:%zu", c, histogram[c]);
        const mm::PixelMoments m = mm::pixel_moments(s.split);
        std::printf("\n  pixels (normalized to [0,1]): mean %.4f, std %.4f\n", m.mean, m.std);
    }
    std::printf("checksums:\n");
    report_checksums(o, splits);
    return 0;
}

const char* class_name(const std::string& dataset, std::size_t label) {
    static const char* fashion[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    static const char* digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return dataset == "fashion-mnist" ? fashion[label] : digits[label];
}

int run_show(const Options& o) {
    const std::string dir = mm::resolve_data_dir(o.dataset, o.data_dir);
    const mm::MnistFiles files = mm::find_mnist_files(dir, o.dataset);
    const bool test = o.split == "test";
    const mm::MnistSplit split = mm::load_mnist_split(test ? files.test_images : files.train_images,
                                                      test ? files.test_labels : files.train_labels);
    if (o.index >= split.size())
        throw mm::Error("--index " + std::to_string(o.index) + ": expected an index below " +
                        std::to_string(split.size()) + " (the " + o.split + " split has " +
                        std::to_string(split.size()) + " items)");
    // Two characters per pixel keep the digit's aspect ratio in a terminal.
    static const char* shades[] = {"  ", "░░", "▒▒", "▓▓", "██"};
    const std::size_t rows = split.images.shape(1), cols = split.images.shape(2);
    const std::string border(2 * cols, '-');
    std::printf("%s[%zu]: label %u (%s)\n+%s+\n", o.split.c_str(), o.index, split.labels(o.index),
                class_name(o.dataset, split.labels(o.index)), border.c_str());
    for (std::size_t r = 0; r < rows; ++r) {
        std::printf("|");
        for (std::size_t c = 0; c < cols; ++c) {
            const unsigned p = split.images(o.index, r, c);
            std::printf("%s", shades[p == 0 ? 0 : 1 + p * 4 / 256]);
        }
        std::printf("|\n");
    }
    std::printf("+%s+\n", border.c_str());
    return 0;
}

mm::app::CommandRegistration reg(10, [](CLI::App& app) {
    auto* cmd = app.add_subcommand("dataset", "Fetch, verify, summarise or look at the MNIST files");
    cmd->require_subcommand(1);
    auto o = std::make_shared<Options>();

    auto* fetch = cmd->add_subcommand(
        "fetch", "Download the four files (mirrors tried in order) or copy them --from a folder; "
                 "only files whose uncompressed SHA-256 matches are kept");
    add_common_options(fetch, *o);
    fetch->add_option("--from", o->from, "Copy from this local folder instead of downloading")
        ->check(CLI::ExistingDirectory);
    fetch->add_option("--mirror", o->mirrors,
                      "Base URL to try (repeatable, in order; file:// works); replaces the default list");

    auto* verify = cmd->add_subcommand("verify", "Parse all four files and check their SHA-256");
    add_common_options(verify, *o);
    verify->add_option("dir", o->data_dir, "Dataset folder (same as --data)");

    auto* info = cmd->add_subcommand(
        "info", "Counts, shapes, label histograms, pixel mean/std and checksum status");
    add_common_options(info, *o);
    info->add_option("dir", o->data_dir, "Dataset folder (same as --data)");

    auto* show = cmd->add_subcommand("show", "Draw one image in the terminal with its label");
    add_common_options(show, *o);
    show->add_option("--index", o->index, "Item index")->required();
    show->add_option("--split", o->split, "train or test")
        ->check(CLI::IsMember({"train", "test"}))
        ->capture_default_str();

    return std::function<int()>([o, fetch, verify, info, show] {
        if (fetch->parsed()) return run_fetch(*o);
        if (verify->parsed()) return run_verify(*o);
        if (info->parsed()) return run_info(*o);
        if (show->parsed()) return run_show(*o);
        return 1;
    });
});

}  // namespace
