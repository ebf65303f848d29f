#pragma once
// The dataset split a saved model is evaluated on, shared by `eval` and `predict`.
#include <mnist_minibatch/mnist_dataset.hpp>
#include <mnist_minibatch/model_file.hpp>

#include <string>

namespace mm::app {

// Loads `split_name` ("test" or "train") of the model's dataset from `data_dir` (empty: the
// usual resolution) and checks its image size against the model. `dir_out` gets the folder used.
MnistSplit load_split_for_model(const ModelMeta& meta, const std::string& data_dir,
                                const std::string& split_name, std::string& dir_out);

}  // namespace mm::app
