#include <mnist_minibatch/minibatch_sampler.hpp>

#include <mnist_minibatch/error.hpp>

#include "state_json.hpp"

#include <algorithm>
#include <limits>

namespace mm {

Sampling parse_sampling(const std::string& name) {
    if (name == "with_replacement") return Sampling::with_replacement;
    if (name == "shuffle") return Sampling::shuffle;
    throw Error("unknown sampling \"" + name + "\": expected \"with_replacement\" or \"shuffle\"");
}

std::string sampling_name(Sampling sampling) {
    return sampling == Sampling::shuffle ? "shuffle" : "with_replacement";
}

MinibatchSampler::MinibatchSampler(NumpyRandom& rng, std::size_t n, std::size_t batch, Sampling sampling)
    : rng_(rng), n_(n), batch_(batch), sampling_(sampling) {
    const std::string what = "mini-batch sampler (" + sampling_name(sampling) + ", n = " + std::to_string(n) +
                             ", batch = " + std::to_string(batch) + "): ";
    if (n == 0) throw Error(what + "expected at least one training example, found n = 0");
    if (batch == 0) throw Error(what + "expected a batch size of at least 1, found 0");
    if (sampling == Sampling::shuffle && batch > n)
        throw Error(what + "expected a batch size of at most n in shuffle mode (an epoch is one pass "
                           "over the n examples), found " + std::to_string(batch));
    current_.resize(batch);
}

const std::vector<std::size_t>& MinibatchSampler::next() {
    if (sampling_ == Sampling::with_replacement) {
        rng_.choice(n_, batch_, current_.data());
    } else {
        if (permutation_.empty() || offset_ + batch_ > n_) {
            permutation_ = rng_.permutation(n_);
            offset_ = 0;
        }
        std::copy_n(permutation_.begin() + static_cast<std::ptrdiff_t>(offset_), batch_, current_.begin());
        offset_ += batch_;
    }
    ++batches_drawn_;
    return current_;
}

std::size_t MinibatchSampler::iterations_per_epoch() const {
    return std::max<std::size_t>(n_ / batch_, 1);
}

nlohmann::json MinibatchSampler::state() const {
    nlohmann::json j{{"sampling", sampling_name(sampling_)},
                     {"n", n_},
                     {"batch", batch_},
                     {"batches_drawn", batches_drawn_}};
    if (sampling_ == Sampling::shuffle) {
        j["offset"] = offset_;
        j["permutation"] = permutation_;
    }
    return j;
}

void MinibatchSampler::set_state(const nlohmann::json& state, const std::string& where) {
    using state_json::describe;
    using state_json::fail;
    const bool shuffle = sampling_ == Sampling::shuffle;
    if (shuffle)
        state_json::require_object_with(state, {"sampling", "n", "batch", "batches_drawn", "offset", "permutation"},
                                        where, "");
    else
        state_json::require_object_with(state, {"sampling", "n", "batch", "batches_drawn"}, where, "");
    if (state["sampling"] != sampling_name(sampling_))
        fail(where, "/sampling", "\"" + sampling_name(sampling_) + "\" (this run's sampling)",
             describe(state["sampling"]));
    const auto max = std::numeric_limits<std::uint64_t>::max();
    if (state_json::unsigned_in_range(state["n"], max, where, "/n") != n_)
        fail(where, "/n", std::to_string(n_) + " (this run's training set size)", describe(state["n"]));
    if (state_json::unsigned_in_range(state["batch"], max, where, "/batch") != batch_)
        fail(where, "/batch", std::to_string(batch_) + " (this run's batch size)", describe(state["batch"]));
    const auto batches_drawn = state_json::unsigned_in_range(state["batches_drawn"], max, where, "/batches_drawn");
    if (!shuffle) {
        batches_drawn_ = batches_drawn;
        return;
    }

    const auto& perm = state["permutation"];
    if (!perm.is_array() || (!perm.empty() && perm.size() != n_))
        fail(where, "/permutation",
             "an array of " + std::to_string(n_) + " indices (or empty before the first epoch)", describe(perm));
    std::vector<std::size_t> permutation(perm.size());
    std::vector<bool> seen(perm.size(), false);
    for (std::size_t i = 0; i < perm.size(); ++i) {
        const std::string pointer = "/permutation/" + std::to_string(i);
        const auto v = static_cast<std::size_t>(state_json::unsigned_in_range(perm[i], n_ - 1, where, pointer));
        if (seen[v]) fail(where, pointer, "each index once (a permutation of 0.." + std::to_string(n_ - 1) + ")",
                          "a second " + std::to_string(v));
        seen[v] = true;
        permutation[i] = v;
    }
    const std::size_t last = permutation.empty() ? 0 : iterations_per_epoch() * batch_;
    const auto offset = static_cast<std::size_t>(state_json::unsigned_in_range(state["offset"], max, where, "/offset"));
    if (offset > last || offset % batch_ != 0)
        fail(where, "/offset",
             "a multiple of " + std::to_string(batch_) + " in [0, " + std::to_string(last) + "]" +
                 (permutation.empty() ? " (0 before the first epoch)" : ""),
             describe(state["offset"]));

    batches_drawn_ = batches_drawn;
    permutation_ = std::move(permutation);
    offset_ = offset;
}

}  // namespace mm
