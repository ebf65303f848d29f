// The model and checkpoint loaders on any bytes: mm::load_model on the file, and, when the bytes
// are JSON, every block the trainer's resume restores from a checkpoint (parameters, optimizer,
// generator and sampler state) into the network of the seed run (see seed_run.hpp). Only
// mm::Error may escape; whatever loads must save and load again to the same state.
#include "fuzz_support.hpp"
#include "seed_run.hpp"

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/minibatch_sampler.hpp>
#include <mnist_minibatch/model_file.hpp>
#include <mnist_minibatch/numpy_random.hpp>
#include <mnist_minibatch/optimizer.hpp>

#include <variant>

namespace {

const mm::fuzz::ScratchFile& input_file() {
    static const mm::fuzz::ScratchFile file("model.json");
    return file;
}

const mm::fuzz::ScratchFile& resaved_file() {
    static const mm::fuzz::ScratchFile file("resaved-model.json");
    return file;
}

void load_model_file(std::string_view bytes) {
    try {
        mm::LoadedModel model = mm::load_model(input_file().write(bytes));
        std::visit(
            [&](auto& network) {
                mm::save_model(resaved_file().path(), *network, model.meta);
                mm::LoadedModel again = mm::load_model(resaved_file().path());
                auto* same = std::get_if<std::decay_t<decltype(network)>>(&again.network);
                if (!same || mm::parameters_to_json(**same) != mm::parameters_to_json(*network))
                    mm::fuzz::fail("a loaded model does not survive save and load");
            },
            model.network);
    } catch (const mm::Error&) {
    }
}

const nlohmann::json* field(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) ? &j.at(key) : nullptr;
}

// Restores `block` with `set` when the checkpoint has it; a state that was accepted must come
// back unchanged from state() -> set_state() -> state().
template <class Restorable, class Fresh>
void restore(const nlohmann::json& checkpoint, const char* key, Restorable& target,
             const Fresh& fresh) {
    const nlohmann::json* block = field(checkpoint, key);
    if (!block) return;
    try {
        target.set_state(*block);
    } catch (const mm::Error&) {
        return;
    }
    auto other = fresh();
    other->set_state(target.state());
    if (other->state() != target.state())
        mm::fuzz::fail(std::string("the ") + key + " state changes over a round trip");
}

template <class T>
void restore_checkpoint(const nlohmann::json& checkpoint) {
    mm::Network<T> network(mm::fuzz::seed_network_spec());
    if (const nlohmann::json* params = field(checkpoint, "parameters")) {
        try {
            mm::parameters_from_json(*params, network, "checkpoint: /parameters");
        } catch (const mm::Error&) {
        }
    }
    mm::OptimizerConfig optimizer_config;
    optimizer_config.name = mm::fuzz::kSeedOptimizer;
    const auto params = network.parameters();
    auto optimizer = mm::make_optimizer<T>(optimizer_config, params);
    restore(checkpoint, "optimizer", *optimizer,
            [&] { return mm::make_optimizer<T>(optimizer_config, params); });

    mm::NumpyRandom rng(0);
    restore(checkpoint, "rng", rng, [] { return std::make_unique<mm::NumpyRandom>(0); });

    mm::NumpyRandom sampler_rng(0);
    const mm::Sampling sampling = mm::parse_sampling(mm::fuzz::kSeedSampling);
    mm::MinibatchSampler sampler(sampler_rng, mm::fuzz::kSeedTrainSize, mm::fuzz::kSeedBatch,
                                 sampling);
    restore(checkpoint, "sampler", sampler, [&] {
        return std::make_unique<mm::MinibatchSampler>(sampler_rng, mm::fuzz::kSeedTrainSize,
                                                      mm::fuzz::kSeedBatch, sampling);
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    load_model_file(mm::fuzz::bytes_of(data, size));
    const nlohmann::json checkpoint = nlohmann::json::parse(data, data + size, nullptr, false);
    if (checkpoint.is_discarded()) return 0;
    const nlohmann::json* dtype = field(checkpoint, "dtype");
    if (dtype && *dtype == "float64")
        restore_checkpoint<double>(checkpoint);
    else
        restore_checkpoint<float>(checkpoint);
    return 0;
}
