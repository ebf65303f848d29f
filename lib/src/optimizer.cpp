#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/exact_number_text.hpp>
#include <mnist_minibatch/optimizer.hpp>

#include <cmath>
#include <string>

namespace mm {
namespace {

// One buffer per parameter (velocities, moments), same sizes as the parameters.
template <class T>
struct SlotBuffers {
    std::vector<std::vector<T>> slots;

    explicit SlotBuffers(const std::vector<Parameter<T>>& params) {
        for (const auto& p : params) slots.emplace_back(p.size, T(0));
    }

    nlohmann::json to_json() const {
        auto out = nlohmann::json::array();
        for (const auto& s : slots) out.push_back(to_hex(s.data(), s.size()));
        return out;
    }

    void from_json(const nlohmann::json& j, const std::string& what) {
        if (!j.is_array() || j.size() != slots.size())
            throw Error(what + ": expected an array of " + std::to_string(slots.size()) +
                        " hex strings");
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (!j[i].is_string())
                throw Error(what + "/" + std::to_string(i) + ": expected a hex string");
            from_hex(j[i].template get<std::string>(), slots[i].data(), slots[i].size(),
                     what + "/" + std::to_string(i));
        }
    }
};

const nlohmann::json& field(const nlohmann::json& state, const char* name) {
    if (!state.is_object() || !state.contains(name))
        throw Error(std::string("optimizer state: missing field '") + name + "'");
    return state.at(name);
}

void expect_name(const nlohmann::json& state, const std::string& name) {
    const auto& n = field(state, "name");
    if (!n.is_string() || n.get<std::string>() != name)
        throw Error("optimizer state: expected optimizer '" + name + "', found " + n.dump());
}

// The book's SGD: p -= lr * g, the product rounded before the subtraction.
template <class T>
class Sgd final : public Optimizer<T> {
public:
    explicit Sgd(double lr) : lr_(static_cast<T>(lr)) {}

    nlohmann::json state() const override { return {{"name", "sgd"}}; }
    void set_state(const nlohmann::json& state) override { expect_name(state, "sgd"); }

private:
    void update_elements(std::size_t, const Parameter<T>& p, std::size_t first,
                         std::size_t last) override {
        for (std::size_t i = first; i < last; ++i) p.value[i] = p.value[i] - lr_ * p.grad[i];
    }

    T lr_;
};

// Chapter 6's Momentum: v = momentum * v - lr * g; p += v.
template <class T>
class Momentum final : public Optimizer<T> {
public:
    Momentum(double lr, double momentum, const std::vector<Parameter<T>>& params)
        : lr_(static_cast<T>(lr)), momentum_(static_cast<T>(momentum)), velocity_(params) {}

    nlohmann::json state() const override {
        return {{"name", "momentum"}, {"velocity", velocity_.to_json()}};
    }
    void set_state(const nlohmann::json& state) override {
        expect_name(state, "momentum");
        velocity_.from_json(field(state, "velocity"), "optimizer state: /velocity");
    }

private:
    void update_elements(std::size_t k, const Parameter<T>& p, std::size_t first,
                         std::size_t last) override {
        T* v = velocity_.slots[k].data();
        for (std::size_t i = first; i < last; ++i) {
            v[i] = momentum_ * v[i] - lr_ * p.grad[i];
            p.value[i] += v[i];
        }
    }

    T lr_, momentum_;
    SlotBuffers<T> velocity_;
};

// Chapter 6's Adam, with the book's bias correction folded into the step size and 1e-7 in the
// denominator.
template <class T>
class Adam final : public Optimizer<T> {
public:
    Adam(double lr, double beta1, double beta2, const std::vector<Parameter<T>>& params)
        : lr_(lr), beta1_(beta1), beta2_(beta2), m_(params), v_(params) {}

    nlohmann::json state() const override {
        return {{"name", "adam"}, {"step", step_}, {"m", m_.to_json()}, {"v", v_.to_json()}};
    }
    void set_state(const nlohmann::json& state) override {
        expect_name(state, "adam");
        const auto& step = field(state, "step");
        if (!step.is_number_unsigned())
            throw Error("optimizer state: /step: expected a non-negative integer, found " +
                        step.dump());
        step_ = step.get<std::uint64_t>();
        m_.from_json(field(state, "m"), "optimizer state: /m");
        v_.from_json(field(state, "v"), "optimizer state: /v");
    }

private:
    void begin_step() override {
        ++step_;
        lr_t_ = static_cast<T>(lr_ * std::sqrt(1.0 - std::pow(beta2_, static_cast<double>(step_))) /
                               (1.0 - std::pow(beta1_, static_cast<double>(step_))));
    }

    void update_elements(std::size_t k, const Parameter<T>& p, std::size_t first,
                         std::size_t last) override {
        const auto one_minus_b1 = static_cast<T>(1.0 - beta1_);
        const auto one_minus_b2 = static_cast<T>(1.0 - beta2_);
        T* m = m_.slots[k].data();
        T* v = v_.slots[k].data();
        for (std::size_t i = first; i < last; ++i) {
            const T g = p.grad[i];
            m[i] += one_minus_b1 * (g - m[i]);
            v[i] += one_minus_b2 * (g * g - v[i]);
            p.value[i] -= lr_t_ * m[i] / (std::sqrt(v[i]) + T(1e-7));
        }
    }

    double lr_, beta1_, beta2_;
    std::uint64_t step_ = 0;
    T lr_t_ = T(0);  // this step's size
    SlotBuffers<T> m_, v_;
};

}  // namespace

template <class T>
void Optimizer<T>::update(const std::vector<Parameter<T>>& params, ThreadPool* pool) {
    begin_step();
    run_parts(pool, [&](std::size_t part, std::size_t parts) {
        for (std::size_t k = 0; k < params.size(); ++k) {
            const std::size_t n = params[k].size;
            update_elements(k, params[k], n * part / parts, n * (part + 1) / parts);
        }
    });
}

template class Optimizer<float>;
template class Optimizer<double>;

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const OptimizerConfig& config,
                                             const std::vector<Parameter<T>>& params) {
    if (config.name == "sgd") return std::make_unique<Sgd<T>>(config.learning_rate);
    if (config.name == "momentum")
        return std::make_unique<Momentum<T>>(config.learning_rate, config.momentum, params);
    if (config.name == "adam")
        return std::make_unique<Adam<T>>(config.learning_rate, config.beta1, config.beta2,
                                         params);
    throw Error("/optimizer/name: expected one of \"sgd\", \"momentum\", \"adam\", found \"" +
                config.name + "\"");
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(
    const OptimizerConfig&, const std::vector<Parameter<float>>&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(
    const OptimizerConfig&, const std::vector<Parameter<double>>&);

}  // namespace mm
