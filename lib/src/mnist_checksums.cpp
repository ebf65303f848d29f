#include <mnist_minibatch/mnist_dataset.hpp>

namespace mm {
namespace {

struct KnownContent {
    const char* dataset;
    const char* name;
    const char* sha256;
};

// The same values as datasets/SHA256SUMS (a unit test keeps the two equal). Compiled in so the
// binary can verify data from any working directory.
constexpr KnownContent kKnownContents[] = {
    {"mnist", "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
    {"mnist", "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
    {"mnist", "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
    {"mnist", "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
    {"fashion-mnist", "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
    {"fashion-mnist", "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
    {"fashion-mnist", "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
    {"fashion-mnist", "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
};

}  // namespace

std::optional<std::string> expected_content_sha256(const std::string& dataset_name,
                                                   const std::string& standard_name) {
    for (const auto& k : kKnownContents)
        if (dataset_name == k.dataset && standard_name == k.name) return std::string(k.sha256);
    return std::nullopt;
}

}  // namespace mm
