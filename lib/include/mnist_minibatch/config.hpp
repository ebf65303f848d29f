#pragma once
// A training run described by one JSON file. Every key has a default; the resolved config
// (defaults filled in) is what a run directory keeps, so a run can always be repeated.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mm {

struct DatasetConfig {
    std::string name = "mnist";  // "mnist" | "fashion-mnist"
    std::string dir;             // empty: resolve_data_dir() decides
    bool normalize = true;
    bool flatten = true;
    bool one_hot = true;
};

struct ModelConfig {
    std::vector<std::size_t> hidden_sizes{50};  // empty: softmax regression
    std::string activation = "sigmoid";         // "sigmoid" | "relu"
    std::string init = "normal";                // "normal" (std * N(0,1)) | "he" | "xavier"
    double weight_init_std = 0.01;              // used by "normal"
    std::string dtype = "float32";              // "float32" | "float64"
};

struct OptimizerConfig {
    std::string name = "sgd";  // "sgd" | "momentum" | "adam"
    double learning_rate = 0.1;
    double momentum = 0.9;     // momentum
    double beta1 = 0.9;        // adam
    double beta2 = 0.999;      // adam
};

struct TrainingConfig {
    std::optional<std::size_t> iterations;  // exactly one of iterations / epochs
    std::optional<std::size_t> epochs;
    std::size_t batch_size = 100;
    std::string sampling = "with_replacement";  // "with_replacement" | "shuffle"
    std::uint32_t seed = 0;
    // Evaluation on the full train and test sets: every this many iterations, or, when absent,
    // once per epoch (the book: at i % iter_per_epoch == 0, i.e. i = 0, 600, ...).
    std::optional<std::size_t> eval_every;
    // "forward": the loss of the forward pass that computes the gradient (no extra work);
    // "after_update": recomputed on the same batch after the update, as the book's
    // train_loss_list does.
    std::string loss_log = "forward";
};

struct LoggingConfig {
    std::size_t every = 100;  // progress line every N iterations when not on a terminal
    bool quiet = false;
};

struct OutputConfig {
    std::string dir = "runs/default";
    std::size_t checkpoint_every = 1000;  // 0: only at the end
    bool plots = true;                    // write the plots and report at the end
};

struct Config {
    DatasetConfig dataset;
    ModelConfig model;
    std::string loss = "cross_entropy";  // "cross_entropy" | "sum_squares"
    std::string gradient = "backprop";   // "backprop" | "numerical"
    OptimizerConfig optimizer;
    TrainingConfig training;
    LoggingConfig logging;
    OutputConfig output;
};

// Parses and validates `j`. Every problem is an mm::Error of one line naming `source` (the file),
// the JSON pointer (/training/batch_size) and what is allowed; unknown keys get a "did you mean".
Config parse_config(const nlohmann::json& j, const std::string& source);

// Reads a config file, applies `--set key.path=value` overrides (value parsed as JSON, else taken
// as a string), then parses it.
Config load_config(const std::string& path, const std::vector<std::string>& overrides = {});

// The fully resolved config, every key present; parse_config(to_json(c)) == c.
nlohmann::json to_json(const Config& c);

// Field by field; doubles compare exactly, as a round trip through to_json keeps them.
bool operator==(const Config& a, const Config& b);
bool operator!=(const Config& a, const Config& b);

// Checks what needs the loaded data: batch_size no larger than the train set.
void validate_against_dataset(const Config& c, std::size_t train_size, const std::string& source);

}  // namespace mm
