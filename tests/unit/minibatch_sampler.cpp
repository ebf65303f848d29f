// MinibatchSampler: batches replay numpy's choice / permutation streams, epochs in shuffle mode,
// checkpoint state round trips and every kind of bad size or bad state.
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/minibatch_sampler.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include <catch2/catch.hpp>

#include "error_message.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using mm::test::error_message;

namespace {

using nlohmann::json;
using Batches = std::vector<std::vector<std::size_t>>;

json load_reference(const std::string& name) {
    std::ifstream in(std::string(MM_REFERENCE_DIR) + "/" + name);
    REQUIRE(in.good());
    return json::parse(in);
}

std::vector<std::size_t> as_indices(const json& values) {
    return values.get<std::vector<std::size_t>>();
}

Batches take(mm::MinibatchSampler& sampler, std::size_t count) {
    Batches batches;
    for (std::size_t i = 0; i < count; ++i) batches.push_back(sampler.next());
    return batches;
}

}  // namespace

TEST_CASE("MinibatchSampler: with replacement is one np.random.choice(n, batch) per batch",
          "[minibatch_sampler]") {
    SECTION("the book's first two batches after the TwoLayerNet initialisation draws") {
        for (const std::string file : {"chapter4_train_seed0.json", "chapter4_train_seed1.json"}) {
            INFO(file);
            const json run = load_reference(file);
            mm::NumpyRandom rng(run["seed"].get<std::uint32_t>());
            for (int i = 0; i < 784 * 50 + 50 * 10; ++i) (void)rng.standard_normal();
            mm::MinibatchSampler sampler(rng, 60000, 100, mm::Sampling::with_replacement);
            CHECK(sampler.iterations_per_epoch() == 600);
            CHECK(sampler.next() == as_indices(run["batch_mask_iter0"]));
            CHECK(sampler.next() == as_indices(run["batch_mask_iter1"]));
            CHECK(sampler.batches_drawn() == 2);
        }
    }
    SECTION("fresh seeds: numpy's two choice(60000, 100) calls, with draw counts") {
        const json rng_vectors = load_reference("numpy_legacy_rng.json");
        for (const std::string seed : {"0", "1", "42", "4294967295"}) {
            INFO("seed " << seed);
            const auto& v = rng_vectors["seeds"][seed];
            mm::NumpyRandom rng(static_cast<std::uint32_t>(std::stoul(seed)));
            mm::MinibatchSampler sampler(rng, 60000, 100, mm::Sampling::with_replacement);
            CHECK(sampler.next() == as_indices(v["choice_60000_100_call1"]));
            CHECK(sampler.next() == as_indices(v["choice_60000_100_call2"]));
            CHECK(rng.raw_draws() == v["choice_60000_100_call1_raw_draws"].get<std::uint64_t>() +
                                         v["choice_60000_100_call2_raw_draws"].get<std::uint64_t>());
        }
    }
    SECTION("a batch may be larger than n, as choice allows") {
        mm::NumpyRandom rng(3);
        mm::MinibatchSampler sampler(rng, 3, 5, mm::Sampling::with_replacement);
        CHECK(sampler.iterations_per_epoch() == 1);
        const auto& batch = sampler.next();
        REQUIRE(batch.size() == 5);
        for (std::size_t i : batch) CHECK(i < 3);
    }
}

TEST_CASE("MinibatchSampler: shuffle epochs are consecutive slices of np.random.permutation(n)",
          "[minibatch_sampler]") {
    const json rng_vectors = load_reference("numpy_legacy_rng.json");
    SECTION("numpy's permutation(10) vectors, in two batches of 5") {
        for (const std::string seed : {"0", "1", "42", "4294967295"}) {
            INFO("seed " << seed);
            const auto perm = as_indices(rng_vectors["seeds"][seed]["permutation_10"]);
            mm::NumpyRandom rng(static_cast<std::uint32_t>(std::stoul(seed)));
            mm::MinibatchSampler sampler(rng, 10, 5, mm::Sampling::shuffle);
            CHECK(rng.raw_draws() == 0);  // nothing is drawn before the first batch
            CHECK(sampler.next() == std::vector<std::size_t>(perm.begin(), perm.begin() + 5));
            CHECK(sampler.next() == std::vector<std::size_t>(perm.begin() + 5, perm.end()));
            CHECK(rng.raw_draws() == rng_vectors["seeds"][seed]["permutation_10_raw_draws"].get<std::uint64_t>());
        }
    }
    SECTION("numpy's permutation(60000): the first batch of 20 and the tail of the last batch") {
        const auto& v = rng_vectors["seeds"]["0"];
        mm::NumpyRandom rng(0);
        mm::MinibatchSampler sampler(rng, 60000, 20, mm::Sampling::shuffle);
        REQUIRE(sampler.iterations_per_epoch() == 3000);
        CHECK(sampler.next() == as_indices(v["permutation_60000_first20"]));
        CHECK(rng.raw_draws() == v["permutation_60000_raw_draws"].get<std::uint64_t>());
        std::vector<std::size_t> last;
        for (std::size_t i = 1; i < 3000; ++i) last = sampler.next();
        CHECK(std::vector<std::size_t>(last.end() - 5, last.end()) == as_indices(v["permutation_60000_last5"]));
        CHECK(rng.raw_draws() == v["permutation_60000_raw_draws"].get<std::uint64_t>());  // epoch not over yet
        (void)sampler.next();
        CHECK(rng.raw_draws() > v["permutation_60000_raw_draws"].get<std::uint64_t>());  // epoch 2 drew anew
    }
    SECTION("the partial last slice is dropped and every epoch draws a fresh permutation") {
        mm::NumpyRandom rng(11), twin(11);
        mm::MinibatchSampler sampler(rng, 10, 3, mm::Sampling::shuffle);
        CHECK(sampler.iterations_per_epoch() == 3);
        for (int epoch = 0; epoch < 4; ++epoch) {
            INFO("epoch " << epoch);
            const auto perm = twin.permutation(10);
            std::vector<std::size_t> seen;
            for (std::size_t b = 0; b < 3; ++b) {
                const auto batch = sampler.next();
                CHECK(batch == std::vector<std::size_t>(perm.begin() + 3 * b, perm.begin() + 3 * b + 3));
                seen.insert(seen.end(), batch.begin(), batch.end());
            }
            std::sort(seen.begin(), seen.end());
            CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());  // no repeats in an epoch
            CHECK(rng.raw_draws() == twin.raw_draws());
        }
        CHECK(sampler.batches_drawn() == 12);
    }
    SECTION("batch == n: every batch is a whole permutation") {
        mm::NumpyRandom rng(5), twin(5);
        mm::MinibatchSampler sampler(rng, 7, 7, mm::Sampling::shuffle);
        CHECK(sampler.iterations_per_epoch() == 1);
        for (int epoch = 0; epoch < 3; ++epoch) CHECK(sampler.next() == twin.permutation(7));
    }
}

TEST_CASE("MinibatchSampler: a sampler restored from state continues identically", "[minibatch_sampler]") {
    // Checkpoint after `before` batches, then compare the next 10 batches of the original with
    // those of a new generator and sampler restored from the JSON text.
    const auto check_resume = [](mm::Sampling sampling, std::size_t n, std::size_t batch, std::size_t before) {
        INFO(mm::sampling_name(sampling) << " n=" << n << " batch=" << batch << " after " << before << " batches");
        mm::NumpyRandom rng(2024);
        mm::MinibatchSampler sampler(rng, n, batch, sampling);
        (void)take(sampler, before);
        const std::string rng_text = rng.state().dump();
        const std::string sampler_text = sampler.state().dump();
        const Batches expected = take(sampler, 10);

        mm::NumpyRandom rng2(1);
        mm::MinibatchSampler restored(rng2, n, batch, sampling);
        (void)take(restored, 2);
        rng2.set_state(json::parse(rng_text));
        restored.set_state(json::parse(sampler_text));
        CHECK(restored.batches_drawn() == before);
        CHECK(take(restored, 10) == expected);
        CHECK(restored.state() == sampler.state());
    };
    check_resume(mm::Sampling::shuffle, 10, 3, 0);  // before the first epoch
    check_resume(mm::Sampling::shuffle, 10, 3, 2);  // mid-epoch
    check_resume(mm::Sampling::shuffle, 10, 3, 3);  // at an epoch end
    check_resume(mm::Sampling::shuffle, 60000, 100, 1234);
    check_resume(mm::Sampling::with_replacement, 60000, 100, 0);
    check_resume(mm::Sampling::with_replacement, 60000, 100, 7);
}

TEST_CASE("MinibatchSampler: bad sizes are mm::Errors", "[minibatch_sampler]") {
    mm::NumpyRandom rng(0);
    for (auto sampling : {mm::Sampling::with_replacement, mm::Sampling::shuffle}) {
        INFO(mm::sampling_name(sampling));
        CHECK_THAT(error_message([&] { (void)mm::MinibatchSampler(rng, 0, 10, sampling); }),
                   Catch::Contains("n = 0") && Catch::Contains("at least one training example"));
        CHECK_THAT(error_message([&] { (void)mm::MinibatchSampler(rng, 10, 0, sampling); }),
                   Catch::Contains("expected a batch size of at least 1, found 0"));
    }
    CHECK_THAT(error_message([&] { (void)mm::MinibatchSampler(rng, 10, 11, mm::Sampling::shuffle); }),
               Catch::StartsWith("mini-batch sampler (shuffle, n = 10, batch = 11): expected a batch size of at most n"));
    CHECK(rng.raw_draws() == 0);

    CHECK(mm::parse_sampling("shuffle") == mm::Sampling::shuffle);
    CHECK(mm::parse_sampling("with_replacement") == mm::Sampling::with_replacement);
    CHECK_THAT(error_message([] { mm::parse_sampling("Shuffle"); }),
               Catch::Equals("unknown sampling \"Shuffle\": expected \"with_replacement\" or \"shuffle\""));
}

TEST_CASE("MinibatchSampler: set_state rejects malformed or foreign states naming the field",
          "[minibatch_sampler]") {
    struct Case {
        const char* what;
        mm::Sampling sampling;
        std::function<void(json&)> damage;
        const char* message;
    };
    const auto shuffle = mm::Sampling::shuffle;
    const auto replace = mm::Sampling::with_replacement;
    const std::vector<Case> cases{
        {"not an object", shuffle, [](json& j) { j = 5; }, "MinibatchSampler state: /: expected an object, found 5"},
        {"other sampling", shuffle, [](json& j) { j["sampling"] = "with_replacement"; }, "/sampling: expected \"shuffle\" (this run's sampling), found the string \"with_replacement\""},
        {"other n", shuffle, [](json& j) { j["n"] = 11; }, "/n: expected 10 (this run's training set size), found 11"},
        {"n as float", shuffle, [](json& j) { j["n"] = 10.0; }, "/n: expected an integer"},
        {"other batch", replace, [](json& j) { j["batch"] = 4; }, "/batch: expected 3 (this run's batch size), found 4"},
        {"missing batches_drawn", replace, [](json& j) { j.erase("batches_drawn"); }, "/batches_drawn: expected a value"},
        {"negative batches_drawn", replace, [](json& j) { j["batches_drawn"] = -1; }, "/batches_drawn: expected an integer"},
        {"shuffle keys in with_replacement", replace, [](json& j) { j["offset"] = 0; }, "/offset: expected no such key"},
        {"missing permutation", shuffle, [](json& j) { j.erase("permutation"); }, "/permutation: expected a value"},
        {"short permutation", shuffle, [](json& j) { j["permutation"].erase(9); }, "/permutation: expected an array of 10 indices (or empty before the first epoch), found an array of 9 elements"},
        {"permutation not an array", shuffle, [](json& j) { j["permutation"] = "0123456789"; }, "/permutation: expected an array"},
        {"index out of range", shuffle, [](json& j) { j["permutation"][4] = 10; }, "/permutation/4: expected an integer in [0, 9], found 10"},
        {"repeated index", shuffle, [](json& j) { j["permutation"][4] = j["permutation"][1]; }, "/permutation/4: expected each index once"},
        {"offset not a multiple", shuffle, [](json& j) { j["offset"] = 4; }, "/offset: expected a multiple of 3 in [0, 9], found 4"},
        {"offset too large", shuffle, [](json& j) { j["offset"] = 12; }, "/offset: expected a multiple of 3 in [0, 9], found 12"},
        {"offset before the first epoch", shuffle, [](json& j) { j["permutation"] = json::array(); j["offset"] = 3; }, "/offset: expected a multiple of 3 in [0, 0] (0 before the first epoch), found 3"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        mm::NumpyRandom source_rng(4);
        mm::MinibatchSampler source(source_rng, 10, 3, c.sampling);
        (void)take(source, 2);
        json bad = source.state();
        c.damage(bad);

        mm::NumpyRandom rng(8);
        mm::MinibatchSampler sampler(rng, 10, 3, c.sampling);
        (void)sampler.next();
        const json before = sampler.state();
        CHECK_THAT(error_message([&] { sampler.set_state(bad); }), Catch::Contains(c.message));
        CHECK(sampler.state() == before);  // a rejected state leaves the sampler untouched
    }
    mm::NumpyRandom rng(0);
    mm::MinibatchSampler sampler(rng, 10, 3, shuffle);
    CHECK_THAT(error_message([&] { sampler.set_state(json::object(), "ckpt.json: /sampler"); }),
               Catch::StartsWith("ckpt.json: /sampler/sampling: expected a value"));
}
