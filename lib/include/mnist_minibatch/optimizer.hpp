#pragma once
// Parameter update rules of the book (chapter 4's SGD, chapter 6's Momentum and Adam), applied to
// the network's flat parameter views.
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/network.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace mm {

template <class T>
class Optimizer {
public:
    virtual ~Optimizer() = default;
    // One step over every parameter, from its grad.
    virtual void update(const std::vector<Parameter<T>>& params) = 0;
    // Everything needed to continue exactly after a resume (velocities, moments, step count).
    virtual nlohmann::json state() const = 0;
    virtual void set_state(const nlohmann::json& state) = 0;
};

// The optimizer named by `config.name` ("sgd", "momentum", "adam") for these parameter shapes.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerConfig& config,
                                             const std::vector<Parameter<T>>& params);

}  // namespace mm
