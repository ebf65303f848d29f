#pragma once
// Parameter update rules of the book (chapter 4's SGD, chapter 6's Momentum and Adam), applied to
// the network's flat parameter views.
#include <mnist_minibatch/config.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/thread_pool.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace mm {

template <class T>
class Optimizer {
public:
    virtual ~Optimizer() = default;
    // One step over every parameter, from its grad. With a pool each parameter's elements are
    // split over its threads: every element's update depends on that element only, so the bits
    // are the same for any split, and each thread updates about the W1 rows whose gradient it
    // has just summed (sparse_input.hpp), while they are still in its cache.
    void update(const std::vector<Parameter<T>>& params, ThreadPool* pool = nullptr);
    // Everything needed to continue exactly after a resume (velocities, moments, step count).
    virtual nlohmann::json state() const = 0;
    virtual void set_state(const nlohmann::json& state) = 0;

protected:
    // Called once per step before any element is updated.
    virtual void begin_step() {}
    // Updates elements [first, last) of params[k] (p).
    virtual void update_elements(std::size_t k, const Parameter<T>& p, std::size_t first,
                                 std::size_t last) = 0;
};

// The optimizer named by `config.name` ("sgd", "momentum", "adam") for these parameter shapes.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerConfig& config,
                                             const std::vector<Parameter<T>>& params);

}  // namespace mm
