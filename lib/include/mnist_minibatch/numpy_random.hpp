#pragma once
// A random generator that replays numpy's legacy RandomState (np.random.seed, randn, choice,
// permutation) draw for draw, so any run of this project can be replayed in Python and the
// book's own runs can be replayed here. The algorithms are those of numpy 1.24 (see
// shared/reference/NUMPY_LEGACY_RNG.md). It is the project's only generator.
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mm {

class NumpyRandom {
public:
    explicit NumpyRandom(std::uint32_t seed = 0);

    // np.random.seed(s): MT19937 init_genrand(s), Gaussian cache cleared.
    void seed(std::uint32_t s);

    // The next raw 32-bit MT19937 output.
    std::uint32_t raw();
    // random_sample(): 53-bit double in [0, 1) from two raw draws.
    double random_sample();
    // randn(): legacy polar method with its cached second value.
    double standard_normal();
    // randint(low, high): uniform in [low, high) by masked rejection.
    std::int64_t randint(std::int64_t low, std::int64_t high);
    // choice(n, size) with replacement (== randint(0, n, size)) into out[0..size).
    void choice(std::size_t n, std::size_t size, std::size_t* out);
    // permutation(n): arange(n) shuffled by Fisher-Yates from the end.
    std::vector<std::size_t> permutation(std::size_t n);
    // shuffle(x) in place, same j sequence as numpy's shuffle.
    void shuffle(std::size_t* data, std::size_t n);

    // The full state as exact JSON, for checkpoints. The layout is numpy's get_state() dict
    // ({"bit_generator": "MT19937", "state": {"key": [624 words], "pos": p}, "has_gauss",
    // "gauss"}) plus "raw_draws", so a checkpoint can also be loaded into Python; "gauss" is a
    // hex-float string, so no decimal rounding is involved.
    nlohmann::json state() const;
    // Restores a state written by state(); throws mm::Error naming the bad field. "gauss" may
    // also be a JSON number or a decimal string (numpy's get_state() exported by json.dumps).
    // `where` is put in front of the bad field's JSON pointer in the message, e.g.
    // "run/checkpoint.json: /rng" gives "run/checkpoint.json: /rng/state/pos: expected ...".
    void set_state(const nlohmann::json& state, const std::string& where = "NumpyRandom state: ");

    // Raw 32-bit draws consumed since seeding, for tests against numpy's draw counts.
    std::uint64_t raw_draws() const { return draws_; }

private:
    // The state is held as numpy holds it (key words + position) rather than in std::mt19937,
    // whose words and position are not portably accessible; checkpoints need both.
    static constexpr std::size_t kWords = 624;
    void twist();
    std::uint64_t raw64();
    // numpy's bounded draw for [0, max]: masked rejection, 32-bit draws when max fits.
    std::uint64_t masked_interval(std::uint64_t max);

    std::array<std::uint32_t, kWords> key_{};
    std::size_t pos_ = kWords;
    bool has_gauss_ = false;
    double gauss_ = 0.0;
    std::uint64_t draws_ = 0;
};

// A seed given as a wider integer (CLI option, JSON value) checked to lie in [0, 2^32-1], as
// np.random.seed requires (numpy raises rather than reducing modulo 2^32). `what` names the
// source in the error, e.g. "--seed" or "config.json: /training/seed".
std::uint32_t checked_seed(std::int64_t value, const std::string& what);
std::uint32_t checked_seed(const nlohmann::json& value, const std::string& what);

}  // namespace mm
