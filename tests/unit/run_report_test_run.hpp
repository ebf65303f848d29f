#pragma once
// A small run directory as the trainer leaves it (finished or still going), with an optional tiny
// MNIST-named dataset next to it, for the plot, report and CLI tests.
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mm::test {

using nlohmann::json;

// An uncompressed IDX file of unsigned bytes.
inline void write_idx_u8(const std::string& path, const std::vector<std::uint32_t>& shape,
                  const std::vector<std::uint8_t>& data) {
    std::string bytes{0, 0, 8, static_cast<char>(shape.size())};
    for (auto d : shape)
        for (int s = 24; s >= 0; s -= 8) bytes += static_cast<char>((d >> s) & 0xff);
    bytes.append(data.begin(), data.end());
    write_text(path, bytes);
}

// A tiny MNIST-named dataset: 30 test images (image i filled with grey i, label i % 10).
inline void write_tiny_dataset(const std::string& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::uint8_t> images, labels;
    for (std::uint8_t i = 0; i < 30; ++i) {
        images.insert(images.end(), 28 * 28, i);
        labels.push_back(i % 10);
    }
    write_idx_u8(dir + "/t10k-images-idx3-ubyte", {30, 28, 28}, images);
    write_idx_u8(dir + "/t10k-labels-idx1-ubyte", {30}, labels);
    write_idx_u8(dir + "/train-images-idx3-ubyte", {30, 28, 28}, images);
    write_idx_u8(dir + "/train-labels-idx1-ubyte", {30}, labels);
}

inline json config_json(const std::string& data_dir, const std::string& loss = "cross_entropy") {
    return {{"dataset", {{"name", "mnist"}, {"dir", data_dir}}},
            {"loss", loss},
            {"optimizer", {{"name", "sgd"}, {"learning_rate", 0.1}}},
            {"training", {{"iterations", 40}, {"batch_size", 100}}}};
}

inline json summary_json(const std::string& data_dir) {
    json confusion = json::array();
    for (int r = 0; r < 10; ++r) {
        json row = json::array();
        for (int c = 0; c < 10; ++c) row.push_back(r == c ? 2 : (c == (r + 1) % 10 ? 1 : 0));
        confusion.push_back(row);
    }
    return {{"iterations", 40},
            {"wall_seconds", 1.5},
            {"iterations_per_second", 26.7},
            {"config_hash", "abc123"},
            {"loss", "cross_entropy"},
            {"dataset", {{"name", "mnist"}, {"dir", data_dir}}},
            {"final",
             {{"train_loss", 0.5}, {"train_accuracy", 0.9}, {"test_loss", 0.6}, {"test_accuracy", 0.875}}},
            {"test_confusion", confusion},
            {"test_mistakes",
             {{{"index", 3}, {"label", 3}, {"predicted", 8}},
              {{"index", 14}, {"label", 4}, {"predicted", 9}},
              {{"index", 25}, {"label", 5}, {"predicted", 6}}}}};
}

inline std::string loss_csv(int rows, bool partial_last_line) {
    std::string text = "iteration,epoch,cee,sse,learning_rate,elapsed_s\n";
    for (int i = 0; i < rows; ++i)
        text += std::to_string(i) + "," + std::to_string((i + 1) / 10.0) + "," +
                std::to_string(2.3 / (1 + i)) + "," + std::to_string(0.9 / (1 + i)) + ",0.1," +
                std::to_string(0.01 * i) + "\n";
    if (partial_last_line) text += std::to_string(rows) + ",4.1,0.0";
    return text;
}

inline std::string epochs_csv(int rows) {
    std::string text =
        "iteration,epoch,train_loss,train_accuracy,train_correct,test_loss,test_accuracy,test_correct\n";
    for (int k = 0; k < rows; ++k)
        text += std::to_string(10 * k) + "," + std::to_string(k) + ",1.0," +
                std::to_string(0.2 + 0.2 * k) + ",5,1.1," + std::to_string(0.25 + 0.2 * k) + ",6\n";
    return text;
}

// A run directory with the given files; the data set lives next to it.
struct RunDir {
    TempDir tmp;
    std::string run = tmp.file("run");
    std::string data = tmp.file("data");

    RunDir(bool finished, bool with_data) {
        std::filesystem::create_directories(run);
        if (with_data) write_tiny_dataset(data);
        write_text(run + "/config.json", config_json(data).dump(2));
        write_text(run + "/loss.csv", loss_csv(40, !finished));
        write_text(run + "/epochs.csv", epochs_csv(finished ? 4 : 3));
        if (finished) write_text(run + "/summary.json", summary_json(data).dump());
    }
    std::string file(const std::string& name) const { return run + "/" + name; }
};

}  // namespace mm::test
