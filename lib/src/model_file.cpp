#include <mnist_minibatch/atomic_file.hpp>
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/exact_number_text.hpp>
#include <mnist_minibatch/model_file.hpp>

#include <fstream>
#include <sstream>
#include <vector>

namespace mm {
namespace {

constexpr const char* kFormat = "mnist-minibatch-model";
constexpr int kVersion = 1;

const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& what) {
    if (!j.is_object() || !j.contains(key))
        throw Error(what + "/" + key + ": missing");
    return j.at(key);
}

std::size_t positive_integer(const nlohmann::json& j, const std::string& what) {
    if (!j.is_number_unsigned() || j.get<std::size_t>() == 0)
        throw Error(what + ": expected a positive integer, found " + j.dump());
    return j.get<std::size_t>();
}

std::string string_member(const nlohmann::json& j, const char* key, const std::string& what) {
    const auto& v = member(j, key, what);
    if (!v.is_string()) throw Error(what + "/" + key + ": expected a string, found " + v.dump());
    return v.get<std::string>();
}

const char* activation_name(Activation a) { return a == Activation::relu ? "relu" : "sigmoid"; }

// The architecture decides how much memory the network takes, so a damaged layer size must be an
// error rather than a request for terabytes: the parameter count it implies is checked against
// the parameter bytes the file holds (two hex digits each) before anything is allocated.
void check_architecture_against_data(const NetworkSpec& spec, std::size_t element_size,
                                     const nlohmann::json& params, const std::string& what) {
    std::size_t held_bytes = 0;
    if (params.is_array())
        for (const auto& p : params)
            if (p.is_object() && p.contains("data") && p.at("data").is_string())
                held_bytes += p.at("data").get_ref<const std::string&>().size() / 2;
    const std::size_t held = held_bytes / element_size;
    std::vector<std::size_t> sizes{spec.input_size};
    sizes.insert(sizes.end(), spec.hidden_sizes.begin(), spec.hidden_sizes.end());
    sizes.push_back(spec.output_size);
    std::size_t needed = 0;
    for (std::size_t l = 0; l + 1 < sizes.size() && needed <= held; ++l) {
        const std::size_t layer = sizes[l] > held / sizes[l + 1] ? held + 1
                                                                 : sizes[l] * sizes[l + 1] + sizes[l + 1];
        needed = layer > held ? held + 1 : needed + layer;
    }
    if (needed > held)
        throw Error(what + "/architecture: the layer sizes need more parameters than the " +
                    std::to_string(held) + " the file holds in /parameters");
}

}  // namespace

nlohmann::json read_json_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open " + what);
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
        return nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(path + ": not a valid " + what + " (JSON parse error at byte " +
                    std::to_string(e.byte) + ": " + e.what() + ")");
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double (1e400): nlohmann reports it without a position.
        throw Error(path + ": not a valid " + what + " (" + e.what() + ")");
    }
}

nlohmann::json spec_to_json(const NetworkSpec& spec) {
    return {{"input_size", spec.input_size},
            {"hidden_sizes", spec.hidden_sizes},
            {"output_size", spec.output_size},
            {"activation", activation_name(spec.activation)}};
}

NetworkSpec spec_from_json(const nlohmann::json& j, const std::string& what) {
    NetworkSpec spec;
    spec.input_size = positive_integer(member(j, "input_size", what), what + "/input_size");
    spec.output_size = positive_integer(member(j, "output_size", what), what + "/output_size");
    const auto& hidden = member(j, "hidden_sizes", what);
    if (!hidden.is_array())
        throw Error(what + "/hidden_sizes: expected an array, found " + hidden.dump());
    spec.hidden_sizes.clear();
    for (std::size_t i = 0; i < hidden.size(); ++i)
        spec.hidden_sizes.push_back(
            positive_integer(hidden[i], what + "/hidden_sizes/" + std::to_string(i)));
    try {
        spec.activation = parse_activation(string_member(j, "activation", what));
    } catch (const Error& e) {
        throw Error(what + "/activation: " + e.what());
    }
    return spec;
}

template <class T>
nlohmann::json parameters_to_json(Network<T>& network) {
    auto out = nlohmann::json::array();
    for (const auto& p : network.parameters())
        out.push_back({{"name", p.name}, {"shape", p.shape}, {"data", to_hex(p.value, p.size)}});
    return out;
}

template <class T>
void parameters_from_json(const nlohmann::json& j, Network<T>& network, const std::string& what) {
    const auto params = network.parameters();
    if (!j.is_array() || j.size() != params.size())
        throw Error(what + ": expected an array of " + std::to_string(params.size()) +
                    " parameters, found " + (j.is_array() ? std::to_string(j.size()) : j.type_name()));
    for (std::size_t k = 0; k < params.size(); ++k) {
        const std::string at = what + "/" + std::to_string(k);
        const auto& p = params[k];
        const std::string name = string_member(j[k], "name", at);
        if (name != p.name)
            throw Error(at + "/name: expected \"" + p.name + "\", found \"" + name + "\"");
        const auto& shape = member(j[k], "shape", at);
        if (shape != nlohmann::json(p.shape))
            throw Error(at + "/shape: expected " + nlohmann::json(p.shape).dump() + " for " +
                        p.name + ", found " + shape.dump());
        from_hex(string_member(j[k], "data", at), p.value, p.size, at + "/data");
    }
}

template <class T>
void save_model(const std::string& path, Network<T>& network, const ModelMeta& meta) {
    const nlohmann::json j = {{"format", kFormat},
                              {"version", kVersion},
                              {"architecture", spec_to_json(network.spec())},
                              {"dtype", meta.dtype},
                              {"dataset", meta.dataset},
                              {"normalize", meta.normalize},
                              {"parameters", parameters_to_json(network)}};
    write_file_atomically(path, j.dump(1) + "\n");
}

LoadedModel load_model(const std::string& path) {
    const auto j = read_json_file(path, "model file");
    const std::string what = path + ": ";
    if (!j.is_object() || !j.contains("format") || j.at("format") != kFormat)
        throw Error(what + "/format: expected \"" + kFormat + "\" (is this a model file?)");
    if (member(j, "version", what) != kVersion)
        throw Error(what + "/version: expected " + std::to_string(kVersion) + ", found " +
                    j.at("version").dump());
    LoadedModel model;
    model.meta.spec = spec_from_json(member(j, "architecture", what), what + "/architecture");
    model.meta.dtype = string_member(j, "dtype", what);
    model.meta.dataset = string_member(j, "dataset", what);
    const auto& normalize = member(j, "normalize", what);
    if (!normalize.is_boolean())
        throw Error(what + "/normalize: expected true or false, found " + normalize.dump());
    model.meta.normalize = normalize.get<bool>();
    const auto& params = member(j, "parameters", what);
    if (model.meta.dtype == "float32" || model.meta.dtype == "float64")
        check_architecture_against_data(model.meta.spec, model.meta.dtype == "float32" ? 4 : 8,
                                        params, what);
    auto load = [&](auto network) {
        parameters_from_json(params, *network, what + "/parameters");
        model.network = std::move(network);
    };
    if (model.meta.dtype == "float32")
        load(std::make_unique<Network<float>>(model.meta.spec));
    else if (model.meta.dtype == "float64")
        load(std::make_unique<Network<double>>(model.meta.spec));
    else
        throw Error(what + "/dtype: expected \"float32\" or \"float64\", found \"" +
                    model.meta.dtype + "\"");
    return model;
}

template nlohmann::json parameters_to_json<float>(Network<float>&);
template nlohmann::json parameters_to_json<double>(Network<double>&);
template void parameters_from_json<float>(const nlohmann::json&, Network<float>&,
                                          const std::string&);
template void parameters_from_json<double>(const nlohmann::json&, Network<double>&,
                                           const std::string&);
template void save_model<float>(const std::string&, Network<float>&, const ModelMeta&);
template void save_model<double>(const std::string&, Network<double>&, const ModelMeta&);

}  // namespace mm
