#pragma once
// The model file: JSON metadata (architecture, dtype, dataset, normalisation) plus every
// parameter as exact hex bytes, so save -> load is bit-exact. Written atomically.
#include <mnist_minibatch/network.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <variant>

namespace mm {

struct ModelMeta {
    NetworkSpec spec;
    std::string dtype = "float32";  // "float32" | "float64"
    std::string dataset = "mnist";
    bool normalize = true;
};

struct LoadedModel {
    ModelMeta meta;
    std::variant<std::unique_ptr<Network<float>>, std::unique_ptr<Network<double>>> network;
};

template <class T>
void save_model(const std::string& path, Network<T>& network, const ModelMeta& meta);

// Throws mm::Error naming the file and the JSON path of anything missing, mistyped, of the wrong
// size or not matching the architecture.
LoadedModel load_model(const std::string& path);

// The parameter block shared by model files and checkpoints.
template <class T>
nlohmann::json parameters_to_json(Network<T>& network);
template <class T>
void parameters_from_json(const nlohmann::json& j, Network<T>& network, const std::string& what);

nlohmann::json spec_to_json(const NetworkSpec& spec);
NetworkSpec spec_from_json(const nlohmann::json& j, const std::string& what);

// Reads a whole JSON file; a missing file or a parse error names the file (and the byte offset).
nlohmann::json read_json_file(const std::string& path, const std::string& what);

}  // namespace mm
