// NumpyRandom against every vector numpy 1.24 produced (shared/reference/numpy_legacy_rng.json and
// the init/batch blocks of the book's training runs), bit for bit, plus its checkpoint state.
#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include <catch2/catch.hpp>

#include "error_message.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

using mm::test::error_message;

namespace {

using nlohmann::json;

json load_reference(const std::string& name) {
    const std::string path = std::string(MM_REFERENCE_DIR) + "/" + name;
    std::ifstream in(path);
    REQUIRE(in.good());
    return json::parse(in);
}

const json& rng_vectors() {
    static const json vectors = load_reference("numpy_legacy_rng.json");
    return vectors;
}

double parse_double(const json& text) {
    const auto& s = text.get_ref<const std::string&>();
    char* end = nullptr;
    const double value = std::strtod(s.c_str(), &end);
    REQUIRE(end == s.c_str() + s.size());
    return value;
}

std::uint64_t bits(double value) {
    std::uint64_t b = 0;
    std::memcpy(&b, &value, sizeof b);
    return b;
}

// Bit-exact comparison of doubles against '%.17g' strings (or JSON numbers).
void require_doubles(const std::vector<double>& got, const json& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double want = expected[i].is_string() ? parse_double(expected[i]) : expected[i].get<double>();
        INFO("element " << i << ": got " << got[i] << ", want " << want);
        CHECK(bits(got[i]) == bits(want));
    }
}

template <class T>
void require_integers(const std::vector<T>& got, const json& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("element " << i);
        CHECK(static_cast<std::int64_t>(got[i]) == expected[i].get<std::int64_t>());
    }
}

std::vector<double> draw(std::size_t count, const std::function<double()>& next) {
    std::vector<double> values(count);
    for (auto& v : values) v = next();
    return values;
}

std::vector<std::size_t> choice(mm::NumpyRandom& rng, std::size_t n, std::size_t size) {
    std::vector<std::size_t> values(size);
    rng.choice(n, size, values.data());
    return values;
}

// numpy's pairwise summation of a contiguous float64 run (numpy/core/src/umath/loops_utils.h).
double numpy_pairwise(const double* a, std::size_t n) {
    if (n < 8) {
        double sum = -0.0;
        for (std::size_t i = 0; i < n; ++i) sum += a[i];
        return sum;
    }
    if (n <= 128) {
        double r[8];
        std::copy(a, a + 8, r);
        std::size_t i = 8;
        for (; i < n - n % 8; i += 8)
            for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
        double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) sum += a[i];
        return sum;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return numpy_pairwise(a, half) + numpy_pairwise(a + half, n - half);
}

// np.sum of a whole contiguous array: pairwise within 8192-element buffers, buffers in order.
double numpy_sum(const std::vector<double>& v) {
    constexpr std::size_t block = 8192;
    double sum = 0.0;
    for (std::size_t start = 0; start < v.size(); start += block)
        sum += numpy_pairwise(v.data() + start, std::min(block, v.size() - start));
    return sum;
}

double sequential_sum(const std::vector<double>& v) {
    double sum = 0.0;
    for (double x : v) sum += x;
    return sum;
}

// Python's math.fsum (Shewchuk's exact partials, then correctly rounded to nearest-even).
double exact_sum(const std::vector<double>& v) {
    std::vector<double> partials;
    for (double x : v) {
        std::size_t used = 0;
        for (double y : partials) {
            if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
            const double hi = x + y;
            const double lo = y - (hi - x);
            if (lo != 0.0) partials[used++] = lo;
            x = hi;
        }
        partials.resize(used);
        partials.push_back(x);
    }
    std::size_t n = partials.size();
    if (n == 0) return 0.0;
    double hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
        const double x = hi;
        const double y = partials[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        const double y = lo * 2;
        const double x = hi + y;
        if (y == x - hi) hi = x;
    }
    return hi;
}

struct TwoLayerInit {
    std::vector<double> w1, w2, w1_unscaled, w2_unscaled;
    std::uint64_t draws_w1 = 0, draws_w1_w2 = 0;
};

// The book's TwoLayerNet(784, 50, 10) initialisation: W1 = 0.01*randn(784,50), b1 = 0,
// W2 = 0.01*randn(50,10), b2 = 0, each element one float64 product.
TwoLayerInit two_layer_init(mm::NumpyRandom& rng) {
    TwoLayerInit init;
    const auto fill = [&rng](std::size_t count, std::vector<double>& w, std::vector<double>& z) {
        z = draw(count, [&rng] { return rng.standard_normal(); });
        w.resize(count);
        std::transform(z.begin(), z.end(), w.begin(), [](double v) { return 0.01 * v; });
    };
    fill(784 * 50, init.w1, init.w1_unscaled);
    init.draws_w1 = rng.raw_draws();
    fill(50 * 10, init.w2, init.w2_unscaled);
    init.draws_w1_w2 = rng.raw_draws();
    return init;
}

const std::vector<std::string> kSeeds{"0", "1", "42", "4294967295"};

std::uint32_t seed_of(const std::string& s) { return static_cast<std::uint32_t>(std::stoul(s)); }

}  // namespace

TEST_CASE("NumpyRandom: seeding gives numpy's state and std::mt19937's outputs", "[numpy_random]") {
    for (const auto& s : kSeeds) {
        INFO("seed " << s);
        const auto& want = rng_vectors()["seeds"][s]["state_after_seed"];
        mm::NumpyRandom rng(seed_of(s));
        const json state = rng.state();
        for (std::size_t i = 0; i < 5; ++i) CHECK(state["state"]["key"][i] == want["key_first5"][i]);
        CHECK(state["state"]["key"][623] == want["key_623"]);
        CHECK(state["state"]["pos"] == want["pos"]);
        CHECK(state["has_gauss"] == want["has_gauss"]);
        CHECK(rng.raw_draws() == 0);

        // Several twists: the engine is the standard MT19937.
        std::mt19937 standard(seed_of(s));
        bool same = true;
        for (int i = 0; i < 5000 && same; ++i) same = rng.raw() == standard();
        CHECK(same);
        CHECK(rng.raw_draws() == 5000);
    }
}

TEST_CASE("NumpyRandom: raw, random_sample and randn match numpy", "[numpy_random]") {
    for (const auto& s : kSeeds) {
        INFO("seed " << s);
        const auto& v = rng_vectors()["seeds"][s];
        mm::NumpyRandom rng(seed_of(s));
        std::vector<std::uint32_t> raw(16);
        for (auto& r : raw) r = rng.raw();
        require_integers(raw, v["raw_uint32_first16"]);

        rng.seed(seed_of(s));
        require_doubles(draw(16, [&rng] { return rng.random_sample(); }), v["random_sample_first16"]);
        CHECK(rng.raw_draws() == 32);

        (void)rng.standard_normal();  // leaves a cached value, which seed() must drop
        rng.seed(seed_of(s));
        require_doubles(draw(16, [&rng] { return rng.standard_normal(); }), v["randn_first16"]);
        CHECK(rng.raw_draws() == v["randn_first16_raw_draws"].get<std::uint64_t>());
    }
}

TEST_CASE("NumpyRandom: choice and permutation match numpy, with draw counts", "[numpy_random]") {
    for (const auto& s : kSeeds) {
        INFO("seed " << s);
        const auto& v = rng_vectors()["seeds"][s];
        mm::NumpyRandom rng(seed_of(s));
        require_integers(choice(rng, 60000, 100), v["choice_60000_100_call1"]);
        const std::uint64_t first = rng.raw_draws();
        CHECK(first == v["choice_60000_100_call1_raw_draws"].get<std::uint64_t>());
        require_integers(choice(rng, 60000, 100), v["choice_60000_100_call2"]);
        CHECK(rng.raw_draws() - first == v["choice_60000_100_call2_raw_draws"].get<std::uint64_t>());

        rng.seed(seed_of(s));
        require_integers(rng.permutation(10), v["permutation_10"]);
        CHECK(rng.raw_draws() == v["permutation_10_raw_draws"].get<std::uint64_t>());

        rng.seed(seed_of(s));
        const auto perm = rng.permutation(60000);
        require_integers(std::vector<std::size_t>(perm.begin(), perm.begin() + 20), v["permutation_60000_first20"]);
        require_integers(std::vector<std::size_t>(perm.end() - 5, perm.end()), v["permutation_60000_last5"]);
        CHECK(rng.raw_draws() == v["permutation_60000_raw_draws"].get<std::uint64_t>());

        // shuffle() on other data follows the same j sequence as permutation().
        rng.seed(seed_of(s));
        std::vector<std::size_t> data(10);
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = 100 + i;
        rng.shuffle(data.data(), data.size());
        for (std::size_t i = 0; i < data.size(); ++i)
            CHECK(data[i] == 100 + v["permutation_10"][i].get<std::size_t>());
    }
}

TEST_CASE("NumpyRandom: the chained call sequence keeps numpy's Gaussian cache", "[numpy_random]") {
    for (const auto& s : kSeeds) {
        INFO("seed " << s);
        const auto& chained = rng_vectors()["seeds"][s]["chained_after_fresh_seed"];
        mm::NumpyRandom rng(seed_of(s));
        const auto normals = [&rng](std::size_t n) { return draw(n, [&rng] { return rng.standard_normal(); }); };
        const auto uniforms = [&rng](std::size_t n) { return draw(n, [&rng] { return rng.random_sample(); }); };
        const auto& calls = chained["calls"];
        REQUIRE(calls.size() == 9);
        for (const auto& c : calls) {
            const auto call = c["call"].get<std::string>();
            INFO(call);
            if (call == "randn(3)") require_doubles(normals(3), c["values"]);
            else if (call == "random_sample(2)") require_doubles(uniforms(2), c["values"]);
            else if (call == "randn()" || call == "randn(1)") require_doubles(normals(1), c["values"]);
            else if (call == "choice(60000, 5)") require_integers(choice(rng, 60000, 5), c["values"]);
            else if (call == "permutation(10)") require_integers(rng.permutation(10), c["values"]);
            else if (call == "randn(2)") require_doubles(normals(2), c["values"]);
            else if (call == "randint(0, 10, size=5)") {
                std::vector<std::int64_t> values(5);
                for (auto& x : values) x = rng.randint(0, 10);
                require_integers(values, c["values"]);
            } else if (call == "rand(1)") require_doubles(uniforms(1), c["values"]);
            else FAIL("call not covered by this test: " << call);
        }
        CHECK(rng.raw_draws() == chained["total_raw_draws"].get<std::uint64_t>());
    }
}

TEST_CASE("NumpyRandom: TwoLayerNet initialisation for seed 42", "[numpy_random]") {
    const auto& want = rng_vectors()["twolayernet_init_seed42"];
    mm::NumpyRandom rng(42);
    const auto init = two_layer_init(rng);
    CHECK(init.draws_w1 == want["raw_draws_W1"].get<std::uint64_t>());
    CHECK(init.draws_w1 == 99764);
    CHECK(init.draws_w1_w2 == want["raw_draws_W1_and_W2"].get<std::uint64_t>());
    CHECK(init.draws_w1_w2 == 101060);
    CHECK(rng.state()["has_gauss"] == 0);

    const auto check = [](const std::vector<double>& w, const std::vector<double>& z, const json& block) {
        require_doubles(std::vector<double>(w.begin(), w.begin() + 5), block["first5"]);
        require_doubles(std::vector<double>(w.end() - 3, w.end()), block["last3"]);
        require_doubles(std::vector<double>(z.begin(), z.begin() + 5), block["unscaled_randn_first5"]);
        require_doubles({numpy_sum(w)}, json::array({block["sum_numpy"]}));
        require_doubles({exact_sum(w)}, json::array({block["sum_exact_fsum"]}));
        require_doubles({sequential_sum(w)}, json::array({block["sum_sequential_c_order"]}));
    };
    SECTION("W1") { check(init.w1, init.w1_unscaled, want["W1"]); }
    SECTION("W2") { check(init.w2, init.w2_unscaled, want["W2"]); }
}

TEST_CASE("NumpyRandom: the book's training runs (init and first two batches), seeds 0 and 1",
          "[numpy_random]") {
    for (const std::string file : {"chapter4_train_seed0.json", "chapter4_train_seed1.json"}) {
        INFO(file);
        const json run = load_reference(file);
        mm::NumpyRandom rng(mm::checked_seed(run["seed"], file + ": /seed"));
        const auto init = two_layer_init(rng);
        const auto& want = run["init"];
        require_doubles(std::vector<double>(init.w1.begin(), init.w1.begin() + 5), want["W1_first5"]);
        require_doubles(std::vector<double>(init.w2.begin(), init.w2.begin() + 5), want["W2_first5"]);
        require_doubles({exact_sum(init.w1)}, json::array({want["W1_sum_exact_fsum"]}));
        require_doubles({exact_sum(init.w2)}, json::array({want["W2_sum_exact_fsum"]}));
        require_integers(choice(rng, 60000, 100), run["batch_mask_iter0"]);
        require_integers(choice(rng, 60000, 100), run["batch_mask_iter1"]);
    }
}

// The MT19937 word whose tempered output is `y` (inverse of the tempering transform).
std::uint32_t untemper(std::uint32_t y) {
    y ^= y >> 18;
    y ^= (y << 15) & 0xefc60000u;
    std::uint32_t x = y;
    for (int i = 0; i < 5; ++i) x = y ^ ((x << 7) & 0x9d2c5680u);
    return x ^ (x >> 11) ^ (x >> 22);
}

TEST_CASE("NumpyRandom: randn rejects r2 == 1 and r2 == 0 like numpy", "[numpy_random]") {
    // A state whose last four words before the twist give chosen raw outputs, so one polar
    // attempt lands exactly on the rejected boundary: (x1, x2) = (-1, 0) or (0, 0).
    const auto with_outputs = [](const std::vector<std::uint32_t>& outputs, std::size_t pos) {
        json state = mm::NumpyRandom(99).state();
        for (std::size_t i = 0; i < outputs.size(); ++i) state["state"]["key"][620 + i] = untemper(outputs[i]);
        state["state"]["pos"] = pos;
        mm::NumpyRandom rng;
        rng.set_state(state);
        return rng;
    };
    const std::uint32_t half = 0x80000000u;  // with a following 0: random_sample() == 0.5
    for (const auto& outputs : {std::vector<std::uint32_t>{0, 0, half, 0}, std::vector<std::uint32_t>{half, 0, half, 0}}) {
        auto probe = with_outputs(outputs, 620);
        for (std::uint32_t want : outputs) CHECK(probe.raw() == want);

        auto rejecting = with_outputs(outputs, 620);
        auto after_twist = with_outputs(outputs, 624);  // same twist, without the bad attempt
        const double got = rejecting.standard_normal();
        CHECK(got != 0.0);
        CHECK(got == after_twist.standard_normal());
        CHECK(rejecting.raw_draws() == after_twist.raw_draws() + 4);
    }
}

TEST_CASE("NumpyRandom: bounded integers follow numpy's masked rejection", "[numpy_random]") {
    SECTION("a one-value range draws nothing") {
        mm::NumpyRandom rng(7);
        CHECK(rng.randint(5, 6) == 5);
        std::size_t out = 99;
        rng.choice(1, 1, &out);
        CHECK(out == 0);
        CHECK(rng.raw_draws() == 0);
    }
    SECTION("the full 32-bit range returns raw outputs") {
        mm::NumpyRandom a(7), b(7);
        for (int i = 0; i < 100; ++i) CHECK(a.randint(0, std::int64_t{1} << 32) == b.raw());
    }
    SECTION("ranges beyond 32 bits use 64-bit draws, high word first") {
        mm::NumpyRandom a(7), b(7);
        const std::int64_t high = (std::int64_t{1} << 40) + 3;  // mask 2^41 - 1
        for (int i = 0; i < 100; ++i) {
            std::uint64_t v = 0;
            do {
                const std::uint64_t hi = b.raw();
                v = ((hi << 32) | b.raw()) & ((std::uint64_t{1} << 41) - 1);
            } while (v >= static_cast<std::uint64_t>(high));
            CHECK(a.randint(0, high) == static_cast<std::int64_t>(v));
        }
        CHECK(a.raw_draws() == b.raw_draws());
    }
    SECTION("negative and extreme bounds stay in range") {
        mm::NumpyRandom rng(3);
        for (int i = 0; i < 1000; ++i) {
            const auto v = rng.randint(-5, 5);
            CHECK((v >= -5 && v < 5));
        }
        const auto lo = std::numeric_limits<std::int64_t>::min();
        const auto hi = std::numeric_limits<std::int64_t>::max();
        for (int i = 0; i < 100; ++i) CHECK(rng.randint(lo, hi) < hi);
    }
    SECTION("empty ranges are errors") {
        mm::NumpyRandom rng(0);
        CHECK_THAT(error_message([&] { rng.randint(3, 3); }), Catch::Contains("randint(3, 3)"));
        CHECK_THAT(error_message([&] { rng.randint(4, 3); }), Catch::Contains("low < high"));
        std::size_t out = 0;
        CHECK_THAT(error_message([&] { rng.choice(0, 1, &out); }), Catch::Contains("at least 1"));
        CHECK_NOTHROW(rng.choice(0, 0, &out));
        CHECK(rng.raw_draws() == 0);
    }
    SECTION("permutations of 0 and 1 elements draw nothing") {
        mm::NumpyRandom rng(0);
        CHECK(rng.permutation(0).empty());
        CHECK(rng.permutation(1) == std::vector<std::size_t>{0});
        CHECK(rng.raw_draws() == 0);
    }
}

TEST_CASE("NumpyRandom: a state round trip continues the stream identically", "[numpy_random]") {
    mm::NumpyRandom rng(0);
    (void)draw(3, [&rng] { return rng.standard_normal(); });  // leaves the 4th normal cached
    const std::uint64_t draws_before = rng.raw_draws();
    const json saved = rng.state();
    CHECK(saved["has_gauss"] == 1);
    CHECK(saved["state"]["pos"] == draws_before);

    const auto continue_stream = [](mm::NumpyRandom& r) {
        std::vector<double> out = draw(3, [&r] { return r.standard_normal(); });
        out.push_back(r.random_sample());
        out.push_back(static_cast<double>(r.randint(0, 60000)));
        for (std::size_t v : r.permutation(700)) out.push_back(static_cast<double>(v));  // crosses a twist
        out.push_back(r.standard_normal());
        return out;
    };
    const auto expected = continue_stream(rng);

    mm::NumpyRandom restored(12345);
    (void)restored.standard_normal();
    restored.set_state(json::parse(saved.dump()));  // through text, as a checkpoint file
    CHECK(restored.raw_draws() == draws_before);
    CHECK(restored.state() == saved);
    const auto replay = continue_stream(restored);
    REQUIRE(replay.size() == expected.size());
    for (std::size_t i = 0; i < replay.size(); ++i) CHECK(bits(replay[i]) == bits(expected[i]));
    CHECK(restored.raw_draws() == rng.raw_draws());

    SECTION("the cached Gaussian is stored exactly as a hex float") {
        mm::NumpyRandom fresh(0);
        (void)draw(3, [&fresh] { return fresh.standard_normal(); });
        const double fourth = fresh.standard_normal();
        CHECK(bits(parse_double(saved["gauss"])) == bits(fourth));
        CHECK(saved["gauss"].get<std::string>().rfind("0x", 0) == 0);
    }
    SECTION("numpy's own get_state() values (gauss as a JSON number, has_gauss as bool) load") {
        json numpy_style = saved;
        numpy_style["gauss"] = parse_double(saved["gauss"]);
        numpy_style["has_gauss"] = true;
        mm::NumpyRandom other(5);
        other.set_state(numpy_style);
        CHECK(other.state() == saved);
    }
    SECTION("positions 0 and 624 are both valid") {
        mm::NumpyRandom a(9), b(9);
        json at_end = a.state();
        CHECK(at_end["state"]["pos"] == 624);
        (void)a.raw();
        json at_start = a.state();
        at_start["state"]["pos"] = 0;  // re-read the twisted words from the start
        b.set_state(at_start);
        (void)b.raw();
        CHECK(b.state()["state"]["pos"] == 1);
    }
}

TEST_CASE("NumpyRandom: set_state rejects malformed states naming the field", "[numpy_random]") {
    const json good = [] {
        mm::NumpyRandom rng(1);
        (void)rng.standard_normal();
        return rng.state();
    }();
    struct Case {
        const char* what;
        std::function<void(json&)> damage;
        const char* message;
    };
    const std::vector<Case> cases{
        {"not an object", [](json& j) { j = json::array(); }, "NumpyRandom state: /: expected an object"},
        {"missing key", [](json& j) { j.erase("gauss"); }, "/gauss: expected a value"},
        {"unknown key", [](json& j) { j["extra"] = 1; }, "/extra: expected no such key"},
        {"other generator", [](json& j) { j["bit_generator"] = "PCG64"; }, "/bit_generator: expected the string \"MT19937\""},
        {"state not an object", [](json& j) { j["state"] = 3; }, "/state: expected an object"},
        {"623 words", [](json& j) { j["state"]["key"].erase(623); }, "/state/key: expected an array of 624 integers, found an array of 623"},
        {"625 words", [](json& j) { j["state"]["key"].push_back(1); }, "/state/key: expected an array of 624 integers, found an array of 625"},
        {"key not an array", [](json& j) { j["state"]["key"] = "abc"; }, "/state/key: expected an array"},
        {"negative word", [](json& j) { j["state"]["key"][5] = -1; }, "/state/key/5: expected an integer in [0, 4294967295], found -1"},
        {"word too large", [](json& j) { j["state"]["key"][7] = 4294967296ULL; }, "/state/key/7: expected an integer in [0, 4294967295], found 4294967296"},
        {"float word", [](json& j) { j["state"]["key"][0] = 1.5; }, "/state/key/0: expected an integer in [0, 4294967295], found the float 1.5"},
        {"string word", [](json& j) { j["state"]["key"][3] = "7"; }, "/state/key/3: expected an integer"},
        {"all-zero key", [](json& j) { j["state"]["key"] = std::vector<std::uint32_t>(624, 0); j["state"]["key"][0] = 0x7fffffff; }, "/state/key: expected a non-degenerate MT19937 state"},
        {"pos too large", [](json& j) { j["state"]["pos"] = 625; }, "/state/pos: expected an integer in [0, 624], found 625"},
        {"negative pos", [](json& j) { j["state"]["pos"] = -1; }, "/state/pos: expected an integer in [0, 624], found -1"},
        {"pos as string", [](json& j) { j["state"]["pos"] = "3"; }, "/state/pos: expected an integer in [0, 624], found the string \"3\""},
        {"missing pos", [](json& j) { j["state"].erase("pos"); }, "/state/pos: expected a value"},
        {"has_gauss 2", [](json& j) { j["has_gauss"] = 2; }, "/has_gauss: expected 0, 1, false or true, found 2"},
        {"has_gauss string", [](json& j) { j["has_gauss"] = "yes"; }, "/has_gauss: expected 0, 1, false or true"},
        {"gauss garbage", [](json& j) { j["gauss"] = "0x1.8p+1zz"; }, "/gauss: expected a finite double"},
        {"gauss empty", [](json& j) { j["gauss"] = ""; }, "/gauss: expected a finite double"},
        {"gauss nan", [](json& j) { j["gauss"] = "nan"; }, "/gauss: expected a finite double"},
        {"gauss overflow", [](json& j) { j["gauss"] = "0x1p+2000"; }, "/gauss: expected a finite double"},
        {"gauss null", [](json& j) { j["gauss"] = nullptr; }, "/gauss: expected a finite double (hex-float string, decimal string or number), found null"},
        {"negative draws", [](json& j) { j["raw_draws"] = -4; }, "/raw_draws: expected an integer"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        json bad = good;
        c.damage(bad);
        mm::NumpyRandom rng(77);
        const json before = rng.state();
        CHECK_THAT(error_message([&] { rng.set_state(bad); }), Catch::Matchers::Contains(c.message));
        CHECK(rng.state() == before);  // a rejected state leaves the generator untouched
    }
    mm::NumpyRandom rng(0);
    CHECK_THAT(error_message([&] { rng.set_state(json::array(), "ckpt.json: /rng"); }),
                      Catch::Matchers::StartsWith("ckpt.json: /rng/: expected an object"));
    CHECK_THAT(error_message([&] { rng.set_state(json{{"x", 1}}, "ckpt.json: /rng"); }),
                      Catch::Matchers::StartsWith("ckpt.json: /rng/bit_generator: expected"));
}

TEST_CASE("checked_seed: seeds outside [0, 2^32-1] are rejected as numpy does", "[numpy_random]") {
    CHECK(mm::checked_seed(std::int64_t{0}, "--seed") == 0u);
    CHECK(mm::checked_seed(std::int64_t{4294967295}, "--seed") == 4294967295u);
    CHECK_THAT(error_message([] { mm::checked_seed(std::int64_t{-1}, "--seed"); }),
               Catch::Matchers::Equals("--seed: expected a seed in [0, 4294967295] (as np.random.seed), found -1"));
    CHECK_THAT(error_message([&] { mm::checked_seed(std::int64_t{4294967296}, "--seed"); }), Catch::Contains("found 4294967296"));

    CHECK(mm::checked_seed(json(42), "c.json: /training/seed") == 42u);
    CHECK(mm::checked_seed(json::parse("4294967295"), "c.json: /training/seed") == 4294967295u);
    CHECK_THAT(error_message([&] { mm::checked_seed(json::parse("4294967296"), "c.json: /training/seed"); }),
                      Catch::Matchers::StartsWith("c.json: /training/seed: expected a seed") && Catch::Contains("4294967296"));
    CHECK_THAT(error_message([&] { mm::checked_seed(json::parse("18446744073709551615"), "s"); }), Catch::Contains("found 18446744073709551615"));
    CHECK_THAT(error_message([&] { mm::checked_seed(json::parse("-3"), "s"); }), Catch::Contains("found -3"));
    CHECK_THAT(error_message([&] { mm::checked_seed(json(1.0), "s"); }), Catch::Contains("found the float 1.0"));
    CHECK_THAT(error_message([&] { mm::checked_seed(json("7"), "s"); }), Catch::Contains("found the string \"7\""));
    CHECK_THAT(error_message([&] { mm::checked_seed(json(true), "s"); }), Catch::Contains("found true"));
}
