// The thread pool of the training step: every part runs once per run, errors come back to the
// caller, and work split over a pool (the weight gradient, a network's blocks of rows) gives
// the bits of the unsplit one.
#include <mnist_minibatch/thread_pool.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/numpy_random.hpp>
#include <mnist_minibatch/sparse_input.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

TEST_CASE("a thread pool runs every part exactly once per run, on distinct threads",
          "[thread_pool]") {
    for (const std::size_t threads : {1, 2, 3, 5}) {
        CAPTURE(threads);
        mm::ThreadPool pool(threads);
        REQUIRE(pool.size() == threads);
        std::vector<std::atomic<int>> calls(threads);
        std::vector<std::thread::id> ids(threads);
        for (int run = 0; run < 2000; ++run)  // runs back to back, as a training loop does
            pool.run([&](std::size_t p) {
                calls[p].fetch_add(1);
                ids[p] = std::this_thread::get_id();
            });
        for (std::size_t p = 0; p < threads; ++p) CHECK(calls[p].load() == 2000);
        CHECK(ids[0] == std::this_thread::get_id());
        for (std::size_t p = 0; p < threads; ++p)
            for (std::size_t q = p + 1; q < threads; ++q) CHECK(ids[p] != ids[q]);
    }
    CHECK_THROWS_AS(mm::ThreadPool(0), mm::Error);
}

TEST_CASE("a thread pool waits for every part, then rethrows the first part's error",
          "[thread_pool]") {
    mm::ThreadPool pool(3);
    std::atomic<int> finished{0};
    auto failing = [&](std::size_t p) {
        if (p == 2) throw std::runtime_error("part 2 failed");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (p == 1) throw std::runtime_error("part 1 failed");
        finished.fetch_add(1);
    };
    CHECK_THROWS_WITH(pool.run(failing), "part 1 failed");
    CHECK(finished.load() == 1);
    // A pool keeps working after an error, also after idling long enough for its threads to sleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::atomic<int> calls{0};
    pool.run([&](std::size_t) { calls.fetch_add(1); });
    CHECK(calls.load() == 3);
}

TEST_CASE("a thread pool whose workers sleep, or never ran anything, shuts down",
          "[thread_pool]") {
    { mm::ThreadPool never_used(4); }
    mm::ThreadPool pool(2);
    pool.run([](std::size_t) {});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // long past the spinning
    SUCCEED("the destructor returns");
}

namespace {

template <class T>
void check_split_first_layer() {
    mm::NumpyRandom rng(11);
    mm::MnistSplit split;
    split.images = xt::zeros<std::uint8_t>({64, 7, 7});
    // Rows of very different density, so that the parts' cuts fall unevenly.
    for (std::size_t i = 0; i < 64; ++i)
        for (std::size_t j = 0; j < 49; ++j)
            if (rng.random_sample() < (i % 4 == 0 ? 0.9 : 0.1))
                split.images.data()[i * 49 + j] = static_cast<std::uint8_t>(rng.randint(1, 256));
    split.labels = xt::zeros<std::uint8_t>({64});
    const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
    std::vector<std::size_t> items(37);
    rng.choice(64, items.size(), items.data());
    const mm::PixelRows<T> x{split, index, items.data(), items.size(), mm::pixel_table<T>(true)};
    for (const std::size_t m : {3, 50}) {
        xt::xtensor<T, 2> dout({items.size(), m});
        for (T& v : dout) v = static_cast<T>(rng.standard_normal());
        xt::xtensor<T, 2> dW_one;
        xt::xtensor<T, 1> db_one;
        mm::sparse_affine_backward_params(dW_one, db_one, dout, x);
        for (const std::size_t threads : {1, 2, 3, 8}) {
            CAPTURE(m, threads);
            mm::ThreadPool pool(threads);
            xt::xtensor<T, 2> dW;
            xt::xtensor<T, 1> db;
            mm::sparse_affine_backward_params(dW, db, dout, x, &pool);
            CHECK((dW == dW_one));
            CHECK((db == db_one));
        }
    }
}

}  // namespace

TEST_CASE("the first layer's weight gradient split over 1, 2, 3 or 8 threads gives the same bits",
          "[thread_pool][sparse_input]") {
    SECTION("float") { check_split_first_layer<float>(); }
    SECTION("double") { check_split_first_layer<double>(); }
}

TEST_CASE("a network's gradient and loss on images give the same bits on 1, 2 or 3 threads",
          "[thread_pool][network]") {
    mm::NumpyRandom rng(12);
    mm::MnistSplit split;
    split.images = xt::zeros<std::uint8_t>({50, 6, 6});
    for (auto& p : split.images)
        p = rng.random_sample() < 0.8 ? 0 : static_cast<std::uint8_t>(rng.randint(1, 256));
    split.labels = xt::zeros<std::uint8_t>({50});
    for (auto& l : split.labels) l = static_cast<std::uint8_t>(rng.randint(0, 10));
    const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
    std::vector<std::size_t> items(130);  // three blocks of rows
    rng.choice(50, items.size(), items.data());
    const mm::PixelRows<float> x{split, index, items.data(), items.size(),
                                 mm::pixel_table<float>(true)};
    xt::xtensor<std::size_t, 1> t;
    mm::gather_labels(split, items.data(), items.size(), t);
    mm::Network<float> one({36, {17}, 10, mm::Activation::sigmoid});
    one.initialize(rng, mm::InitKind::xavier, 0);
    mm::Network<float> two = one;
    mm::ThreadPool pool(2), pool3(3);
    two.set_thread_pool(&pool);
    mm::Network<float> three = one;
    three.set_thread_pool(&pool3);
    for (const auto kind : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares}) {
        three.gradient(x, t, kind);
        const auto p3 = three.parameters();
        const auto a = one.gradient(x, t, kind), b = two.gradient(x, t, kind);
        CHECK(a.cross_entropy == b.cross_entropy);
        CHECK(a.sum_squares == b.sum_squares);
        const auto pa = one.parameters(), pb = two.parameters();
        for (std::size_t q = 0; q < pa.size(); ++q) {
            CHECK(std::equal(pa[q].grad, pa[q].grad + pa[q].size, pb[q].grad));
            CHECK(std::equal(pa[q].grad, pa[q].grad + pa[q].size, p3[q].grad));
        }
        CHECK(one.loss(x, t).cross_entropy == two.loss(x, t).cross_entropy);
        CHECK(one.loss(x, t).sum_squares == three.loss(x, t).sum_squares);
    }

    std::vector<std::size_t> outside{3, 50};
    const mm::PixelRows<float> bad_item{split, index, outside.data(), 2, mm::pixel_table<float>(true)};
    xt::xtensor<std::size_t, 1> t2 = {0, 0};
    CHECK_THROWS_WITH(two.gradient(bad_item, t2, mm::LossKind::cross_entropy),
                      Catch::Contains("batch item 1 is image 50; the split has 50"));
    mm::MnistSplit smaller;
    smaller.images = xt::zeros<std::uint8_t>({49, 6, 6});
    smaller.labels = xt::zeros<std::uint8_t>({49});
    const mm::NonzeroPixels wrong = mm::find_nonzero_pixels(smaller);
    const mm::PixelRows<float> mismatched{split, wrong, items.data(), items.size(),
                                          mm::pixel_table<float>(true)};
    CHECK_THROWS_WITH(two.loss(mismatched, t), Catch::Contains("was not found for the batch's split"));
}
