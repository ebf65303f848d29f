#pragma once
// A random generator that replays numpy's legacy RandomState (np.random.seed, randn, choice,
// permutation) draw for draw, so any run of this project can be replayed in Python and the
// book's own runs can be replayed here. The algorithms are those of numpy 1.24 (see
// shared/reference/NUMPY_LEGACY_RNG.md). It is the project's only generator.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
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

    // The full state (MT words, position, Gaussian cache) as exact JSON, for checkpoints.
    nlohmann::json state() const;
    // Restores a state written by state(); throws mm::Error naming the bad field.
    void set_state(const nlohmann::json& state);

    // Raw 32-bit draws consumed since seeding, for tests against numpy's draw counts.
    std::uint64_t raw_draws() const { return draws_; }

private:
    std::mt19937 engine_;
    bool has_gauss_ = false;
    double gauss_ = 0.0;
    std::uint64_t draws_ = 0;
};

}  // namespace mm
