#pragma once
// summary.json, the file a run writes when it ends: totals, final losses and accuracies, the test
// confusion matrix and the first misclassified test items.
#include <mnist_minibatch/confusion_chart.hpp>
#include <mnist_minibatch/mistakes_grid.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace mm {

struct RunSummary {
    std::size_t iterations = 0;
    double wall_seconds = 0;
    double iterations_per_second = 0;
    std::string config_hash;
    std::string loss;  // "cross_entropy" | "sum_squares"
    std::string dataset_name, dataset_dir;
    // NaN when the run diverged (JSON null).
    double train_loss = 0, train_accuracy = 0, test_loss = 0, test_accuracy = 0;
    ConfusionMatrix test_confusion;  // square, row = true label
    std::vector<Mistake> test_mistakes;
};

// Checks every field; an mm::Error names `source`, the JSON pointer and what was expected.
RunSummary parse_run_summary(const nlohmann::json& j, const std::string& source);

// Reads and parses a summary.json file.
RunSummary read_run_summary(const std::string& path);

// Reads a JSON file; throws mm::Error naming the file and the byte offset of a syntax error.
nlohmann::json read_json_file(const std::string& path);

}  // namespace mm
