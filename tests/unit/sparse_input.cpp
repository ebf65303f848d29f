// The sparse first layer and the block-threaded evaluation against the plain path: the dense BLAS
// products (layers.hpp), gather_images and a single-threaded run.
#include <mnist_minibatch/sparse_input.hpp>

#include <mnist_minibatch/error.hpp>
#include <mnist_minibatch/evaluation.hpp>
#include <mnist_minibatch/layers.hpp>
#include <mnist_minibatch/network.hpp>
#include <mnist_minibatch/numpy_random.hpp>

#include <catch2/catch.hpp>
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace {

// Uniform values in [0, 1) of which about `zeros` are set to exactly 0.
template <class T>
xt::xtensor<T, 2> sparse_matrix(mm::NumpyRandom& rng, std::size_t n, std::size_t d, double zeros) {
    xt::xtensor<T, 2> x({n, d});
    for (T& v : x) v = rng.random_sample() < zeros ? T(0) : static_cast<T>(rng.random_sample());
    return x;
}

template <class T>
xt::xtensor<T, 2> normal_matrix(mm::NumpyRandom& rng, std::size_t n, std::size_t d) {
    xt::xtensor<T, 2> w({n, d});
    for (T& v : w) v = static_cast<T>(rng.standard_normal());
    return w;
}

template <class T>
xt::xtensor<T, 2> expand(const mm::SparseRows<T>& s) {
    xt::xtensor<T, 2> x = xt::zeros<T>({s.rows(), s.cols});
    for (std::size_t r = 0; r < s.rows(); ++r)
        for (std::size_t i = s.row_start[r]; i < s.row_start[r + 1]; ++i) {
            if (i > s.row_start[r]) REQUIRE(s.column[i - 1] < s.column[i]);
            x(r, s.column[i]) = s.value[i];
        }
    return x;
}

mm::MnistSplit random_split(mm::NumpyRandom& rng, std::size_t n, std::size_t side) {
    mm::MnistSplit split;
    split.images = xt::zeros<std::uint8_t>({n, side, side});
    for (auto& p : split.images)
        p = rng.random_sample() < 0.8 ? 0 : static_cast<std::uint8_t>(rng.randint(1, 256));
    split.labels = xt::zeros<std::uint8_t>({n});
    for (auto& l : split.labels) l = static_cast<std::uint8_t>(rng.randint(0, 10));
    return split;
}

// Output widths around every case of the kernels: narrower than one vector lane, whole lanes,
// whole lanes and 1, 2 or 3 columns summed in scalars, a partial last lane too wide for that or
// after too many lanes, up to the 13 lanes kept in registers, and past them with a last chunk
// narrower than one lane (13 lanes + 1 .. 14 lanes - 1).
template <class T>
std::vector<std::size_t> widths_to_test() {
    constexpr std::size_t L = xsimd::batch<T>::size;
    return {1, L - 1, L, L + 1, 2 * L - 1, 3 * L + 2, 4 * L + 3, 50, 10 * L + 2, 11 * L + 2,
            12 * L + 3, 13 * L, 13 * L + 1, 14 * L - 1, 14 * L, 27 * L + 3};
}

template <class T>
void check_forward_and_backward(double tolerance) {
    mm::NumpyRandom rng(3);
    for (const std::size_t m : widths_to_test<T>()) {
        CAPTURE(m);
        const auto x = sparse_matrix<T>(rng, 7, 37, 0.8);
        const auto W = normal_matrix<T>(rng, 37, m);
        auto b = xt::xtensor<T, 1>::from_shape({m});
        for (T& v : b) v = static_cast<T>(rng.standard_normal());
        mm::SparseRows<T> s;
        mm::compress_rows(x, s);
        xt::xtensor<T, 2> dense, sparse;
        mm::affine_forward(dense, x, W, b);
        mm::sparse_affine_forward(sparse, s, W, b);
        REQUIRE(sparse.shape() == dense.shape());
        for (std::size_t r = 0; r < 7; ++r)
            for (std::size_t k = 0; k < m; ++k) {
                // Bit for bit the documented order: the row's nonzeros in order, then b.
                T sum = T(0);
                for (std::size_t i = s.row_start[r]; i < s.row_start[r + 1]; ++i)
                    sum += s.value[i] * W(s.column[i], k);
                CHECK(sparse(r, k) == sum + b(k));
                CHECK(sparse(r, k) == Approx(dense(r, k)).margin(tolerance));
            }
        const auto dout = normal_matrix<T>(rng, 7, m);
        xt::xtensor<T, 2> dW_dense, dW_sparse;
        xt::xtensor<T, 1> db_dense, db_sparse;
        mm::affine_backward_params(dW_dense, db_dense, dout, x);
        mm::sparse_affine_backward_params(dW_sparse, db_sparse, dout, s);
        REQUIRE(dW_sparse.shape() == dW_dense.shape());
        // Bit for bit the documented order: each entry summed over the rows in order.
        xt::xtensor<T, 2> dW_order = xt::zeros<T>({std::size_t(37), m});
        for (std::size_t r = 0; r < 7; ++r)
            for (std::size_t i = s.row_start[r]; i < s.row_start[r + 1]; ++i)
                for (std::size_t k = 0; k < m; ++k) dW_order(s.column[i], k) += s.value[i] * dout(r, k);
        CHECK((dW_sparse == dW_order));
        for (std::size_t j = 0; j < 37; ++j)
            for (std::size_t k = 0; k < m; ++k)
                CHECK(dW_sparse(j, k) == Approx(dW_dense(j, k)).margin(tolerance));
        CHECK((db_sparse == db_dense));
    }
}

}  // namespace

TEST_CASE("compress_rows keeps exactly the nonzero entries, in column order, reusing its buffers",
          "[sparse_input]") {
    mm::NumpyRandom rng(1);
    mm::SparseRows<double> s;
    for (const double zeros : {0.0, 0.5, 0.81, 1.0}) {
        const auto x = sparse_matrix<double>(rng, 9, 30, zeros);
        mm::compress_rows(x, s);
        CHECK(s.rows() == 9);
        CHECK(s.cols == 30);
        std::size_t nonzero = 0;
        for (const double v : x) nonzero += v != 0.0;
        CHECK(s.nonzeros() == nonzero);
        CHECK((expand(s) == x));
    }
    const auto* kept = s.value.data();
    mm::compress_rows(sparse_matrix<double>(rng, 4, 30, 0.5), s);
    CHECK(s.value.data() == kept);
    CHECK(s.rows() == 4);
}

TEST_CASE("find_nonzero_pixels indexes exactly each image's nonzero pixels, in order",
          "[sparse_input]") {
    mm::NumpyRandom rng(2);
    mm::MnistSplit split = random_split(rng, 20, 6);
    // Empty images at the ends of the threads' parts and of the split, and a full one.
    for (const std::size_t empty : {5, 6, 9, 13, 19})
        std::fill_n(split.images.data() + empty * 36, 36, std::uint8_t(0));
    std::fill_n(split.images.data() + 4 * 36, 36, std::uint8_t(255));
    const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
    REQUIRE(index.images() == 20);
    CHECK(index.count(4) == 36);
    CHECK(index.count(19) == 0);
    for (std::size_t i = 0; i < 20; ++i) {
        std::vector<std::uint16_t> expected;
        for (std::size_t j = 0; j < 36; ++j)
            if (split.images.data()[i * 36 + j] != 0) expected.push_back(static_cast<std::uint16_t>(j));
        CHECK(index.count(i) == expected.size());
        CHECK(std::equal(expected.begin(), expected.end(),
                         index.column.begin() + static_cast<std::ptrdiff_t>(index.row_start[i])));
    }
    CHECK(index.row_start.back() == index.column.size());
    for (std::size_t j = 0; j < 36; ++j) {
        std::uint64_t images = 0;
        for (std::size_t i = 0; i < 20; ++i) images += split.images.data()[i * 36 + j] != 0;
        CHECK(index.pixel_counts[j] == images);
    }
    for (const std::size_t threads : {2, 3, 7}) {  // split over threads: the same index
        mm::ThreadPool pool(threads);
        const mm::NonzeroPixels split_index = mm::find_nonzero_pixels(split, &pool);
        CHECK(split_index.row_start == index.row_start);
        CHECK(split_index.column == index.column);
        CHECK(split_index.pixel_counts == index.pixel_counts);
    }

    mm::MnistSplit huge;
    huge.images = xt::zeros<std::uint8_t>({1, 257, 256});
    huge.labels = xt::zeros<std::uint8_t>({1});
    CHECK_THROWS_WITH(mm::find_nonzero_pixels(huge),
                      Catch::Contains("65792 pixels") && Catch::Contains("at most 65536"));
}

template <class T>
void check_pixel_rows(double tolerance) {
    mm::NumpyRandom rng(4);
    const mm::MnistSplit split = random_split(rng, 30, 6);
    const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
    // Out of order and with repeats, as batches drawn with replacement are.
    const std::vector<std::size_t> items{29, 3, 3, 17, 0, 8, 22, 3};
    for (const bool normalize : {true, false})
        for (const std::size_t m : widths_to_test<T>()) {
            CAPTURE(normalize, m);
            const double margin = normalize ? tolerance : 255 * 36 * tolerance;  // raw pixels
            const mm::PixelRows<T> pixels{split, index, items.data(), items.size(),
                                          mm::pixel_table<T>(normalize)};
            CHECK(pixels.rows() == items.size());
            CHECK(pixels.cols() == 36);
            xt::xtensor<T, 2> x;
            mm::gather_images(split, items.data(), items.size(), normalize, x);
            mm::SparseRows<T> s;
            mm::compress_rows(x, s);
            CHECK(pixels.nonzeros() == s.nonzeros());
            const auto W = normal_matrix<T>(rng, 36, m);
            auto b = xt::xtensor<T, 1>::from_shape({m});
            for (T& v : b) v = static_cast<T>(rng.standard_normal());
            xt::xtensor<T, 2> from_pixels, from_values, dense;
            mm::sparse_affine_forward(from_pixels, pixels, W, b);
            mm::sparse_affine_forward(from_values, s, W, b);
            mm::affine_forward(dense, x, W, b);
            // The same sums in the same order as compress_rows' entries: the same bits.
            CHECK((from_pixels == from_values));
            for (std::size_t j = 0; j < dense.size(); ++j)
                CHECK(from_pixels.data()[j] == Approx(dense.data()[j]).margin(margin));

            const auto dout = normal_matrix<T>(rng, items.size(), m);
            xt::xtensor<T, 2> dW_pixels, dW_values, dW_dense;
            xt::xtensor<T, 1> db_pixels, db_values, db_dense;
            mm::sparse_affine_backward_params(dW_pixels, db_pixels, dout, pixels);
            mm::sparse_affine_backward_params(dW_values, db_values, dout, s);
            mm::affine_backward_params(dW_dense, db_dense, dout, x);
            CHECK((dW_pixels == dW_values));
            CHECK((db_pixels == db_dense));
            for (std::size_t j = 0; j < dW_dense.size(); ++j)
                CHECK(dW_pixels.data()[j] == Approx(dW_dense.data()[j]).margin(margin));
        }
}

TEST_CASE("the first layer on dataset images read through the index equals it on gathered rows",
          "[sparse_input]") {
    SECTION("float") { check_pixel_rows<float>(1e-5); }
    SECTION("double") { check_pixel_rows<double>(1e-13); }
}

TEST_CASE("pixel_table holds float32(p) / 255 and p, widened, for every pixel value",
          "[sparse_input]") {
    for (std::size_t p = 0; p < 256; ++p) {
        const auto pixel = static_cast<std::uint8_t>(p);
        CHECK(mm::pixel_table<double>(true)[p] == static_cast<double>(static_cast<float>(p) / 255.0f));
        CHECK(mm::pixel_table<float>(true)[p] == mm::normalize_pixel(pixel));
        CHECK(mm::pixel_table<double>(false)[p] == static_cast<double>(p));
    }
}

TEST_CASE("the sparse first layer matches the dense BLAS products for every output width",
          "[sparse_input]") {
    SECTION("float") { check_forward_and_backward<float>(1e-5); }
    SECTION("double") { check_forward_and_backward<double>(1e-13); }
}

TEST_CASE("a network on sparse inputs: backprop passes the gradient check",
          "[sparse_input][network]") {
    mm::NumpyRandom rng(5);
    mm::Network<double> net({40, {13}, 4, mm::Activation::sigmoid});
    net.initialize(rng, mm::InitKind::xavier, 0);
    // One block of rows, then three, whose gradients the network sums.
    for (const std::size_t n : {6, 120}) {
        CAPTURE(n);
        const auto x = sparse_matrix<double>(rng, n, 40, 0.8);
        auto t = xt::xtensor<std::size_t, 1>::from_shape({n});
        rng.choice(4, n, t.data());
        for (const auto loss : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares}) {
            net.gradient(x, t, loss);
            std::vector<double> backprop;
            for (const auto& p : net.parameters())
                backprop.insert(backprop.end(), p.grad, p.grad + p.size);
            net.numerical_gradient(x, t, loss);
            std::size_t i = 0;
            for (const auto& p : net.parameters())
                for (std::size_t j = 0; j < p.size; ++j, ++i)
                    CHECK(backprop[i] == Approx(p.grad[j]).margin(1e-8));
        }
    }
}

TEST_CASE("a network's sparse first layer gives the gradient of the plain dense path",
          "[sparse_input][network]") {
    mm::NumpyRandom rng(6);
    mm::Network<double> net({30, {7}, 3, mm::Activation::sigmoid});
    net.initialize(rng, mm::InitKind::xavier, 0);
    // One block of rows, then three, whose gradients the network sums.
    for (const std::size_t n : {5, 125}) {
        CAPTURE(n);
        const auto x = sparse_matrix<double>(rng, n, 30, 0.81);
        auto t = xt::xtensor<std::size_t, 1>::from_shape({n});
        rng.choice(3, n, t.data());
        const auto losses = net.gradient(x, t, mm::LossKind::cross_entropy);
        auto params = net.parameters();
        auto tensor = [&](std::size_t q) {
            xt::xtensor<double, 2> w({params[q].shape[0], params[q].shape.size() > 1 ? params[q].shape[1] : 1});
            std::copy(params[q].value, params[q].value + params[q].size, w.data());
            return w;
        };
        auto vector = [&](std::size_t q) {
            auto v = xt::xtensor<double, 1>::from_shape({params[q].size});
            std::copy(params[q].value, params[q].value + params[q].size, v.data());
            return v;
        };
        const auto W1 = tensor(0), W2 = tensor(2);
        const auto b1 = vector(1), b2 = vector(3);
        xt::xtensor<double, 2> a1, z1, a2, y, dy, dz1, da1, dW1, dW2;
        xt::xtensor<double, 1> db1, db2;
        mm::affine_forward(a1, x, W1, b1);
        mm::sigmoid_forward(z1, a1);
        mm::affine_forward(a2, z1, W2, b2);
        const auto plain = mm::softmax_loss_forward(y, a2, t);
        mm::softmax_loss_backward(dy, y, t, mm::LossKind::cross_entropy, t.size());
        mm::affine_backward_params(dW2, db2, dy, z1);
        mm::affine_backward_input(dz1, dy, W2);
        mm::sigmoid_backward(da1, dz1, z1);
        mm::affine_backward_params(dW1, db1, da1, x);
        CHECK(losses.cross_entropy == Approx(plain.cross_entropy).epsilon(1e-14));
        const std::vector<const double*> expected{dW1.data(), db1.data(), dW2.data(), db2.data()};
        for (std::size_t q = 0; q < 4; ++q)
            for (std::size_t j = 0; j < params[q].size; ++j)
                CHECK(params[q].grad[j] == Approx(expected[q][j]).margin(1e-15));
    }
}

TEST_CASE("a network on dataset images gives the bits of the gathered rows, sparse or dense",
          "[sparse_input][network]") {
    mm::NumpyRandom rng(9);
    for (const double zeros : {0.8, 0.3}) {  // the sparse kernels, then the BLAS products
        CAPTURE(zeros);
        mm::MnistSplit split;
        split.images = xt::zeros<std::uint8_t>({40, 5, 5});
        for (auto& p : split.images)
            p = rng.random_sample() < zeros ? 0 : static_cast<std::uint8_t>(rng.randint(1, 256));
        split.labels = xt::zeros<std::uint8_t>({40});
        for (auto& l : split.labels) l = static_cast<std::uint8_t>(rng.randint(0, 4));
        const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
        // Out of order with repeats, and more rows than one block.
        std::vector<std::size_t> items{7, 39, 0, 7, 12, 25};
        items.resize(110);
        rng.choice(40, items.size() - 6, items.data() + 6);
        const mm::PixelRows<double> pixels{split, index, items.data(), items.size(),
                                           mm::pixel_table<double>(true)};
        xt::xtensor<double, 2> x;
        xt::xtensor<std::size_t, 1> t;
        mm::gather_images(split, items.data(), items.size(), true, x);
        mm::gather_labels(split, items.data(), items.size(), t);

        mm::Network<double> net({25, {9}, 4, mm::Activation::sigmoid});
        net.initialize(rng, mm::InitKind::xavier, 0);
        xt::xtensor<double, 2> from_rows, from_pixels;
        mm::ForwardBuffers<double> buffers;
        net.predict(x, from_rows);
        net.predict(pixels, from_pixels, buffers);
        CHECK((from_pixels == from_rows));
        const auto rows_loss = net.loss(x, t), pixels_loss = net.loss(pixels, t);
        CHECK(pixels_loss.cross_entropy == rows_loss.cross_entropy);
        CHECK(pixels_loss.sum_squares == rows_loss.sum_squares);
        for (const auto loss : {mm::LossKind::cross_entropy, mm::LossKind::sum_squares}) {
            net.gradient(x, t, loss);
            std::vector<double> expected;
            for (const auto& p : net.parameters()) expected.insert(expected.end(), p.grad, p.grad + p.size);
            net.gradient(pixels, t, loss);
            std::vector<double> actual;
            for (const auto& p : net.parameters()) actual.insert(actual.end(), p.grad, p.grad + p.size);
            CHECK(actual == expected);
        }
    }
}

TEST_CASE("evaluate gives the same result with 1, 2 or 3 threads, and the plain path's counts",
          "[sparse_input][evaluation]") {
    mm::NumpyRandom rng(7);
    const mm::MnistSplit split = random_split(rng, 2500, 5);  // blocks of 1000, 1000, 500
    mm::Network<float> net({25, {6}, 10, mm::Activation::sigmoid});
    net.initialize(rng, mm::InitKind::xavier, 0);
    const mm::EvaluationResult one = mm::evaluate(net, split, true, 50, 1);
    for (const std::size_t threads : {2, 3, 8}) {
        CAPTURE(threads);
        const mm::EvaluationResult many = mm::evaluate(net, split, true, 50, threads);
        CHECK(many.cross_entropy == one.cross_entropy);
        CHECK(many.sum_squares == one.sum_squares);
        CHECK(many.correct == one.correct);
        CHECK(many.confusion == one.confusion);
        REQUIRE(many.mistakes.size() == one.mistakes.size());
        for (std::size_t i = 0; i < one.mistakes.size(); ++i) CHECK(many.mistakes[i].index == one.mistakes[i].index);
    }
    std::vector<std::size_t> all(split.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    xt::xtensor<float, 2> x;
    xt::xtensor<std::size_t, 1> t;
    mm::gather_images(split, all.data(), all.size(), true, x);
    mm::gather_labels(split, all.data(), all.size(), t);
    CHECK(one.correct == net.count_correct(x, t));
    CHECK(one.total == 2500);
    REQUIRE(one.mistakes.size() == 50);
    CHECK(one.mistakes.front().index < one.mistakes.back().index);
    CHECK_THROWS_AS(mm::evaluate(net, split, true, 0, 0), mm::Error);
}

TEST_CASE("a batch of images of the wrong size, or none, is one clear mm::Error",
          "[sparse_input][network]") {
    mm::NumpyRandom rng(8);
    mm::Network<float> net({12, {4}, 3, mm::Activation::relu});
    const mm::MnistSplit split = random_split(rng, 3, 3);  // 9 pixels per image
    const mm::NonzeroPixels index = mm::find_nonzero_pixels(split);
    const std::vector<std::size_t> items{0, 2};
    xt::xtensor<float, 2> y;
    mm::ForwardBuffers<float> buffers;
    const mm::PixelRows<float> narrow{split, index, items.data(), 2, mm::pixel_table<float>(true)};
    CHECK_THROWS_WITH(net.predict(narrow, y, buffers),
                      Catch::Contains("(2, 9)") && Catch::Contains("expected (N, 12)"));
    const mm::PixelRows<float> none{split, index, items.data(), 0, mm::pixel_table<float>(true)};
    CHECK_THROWS_AS(net.predict(none, y, buffers), mm::Error);
    xt::xtensor<std::size_t, 1> t = {0};
    CHECK_THROWS_WITH(net.gradient(narrow, t, mm::LossKind::cross_entropy),
                      Catch::Contains("(2, 9)"));

    mm::Network<float> fits({9, {4}, 3, mm::Activation::relu});
    CHECK_THROWS_WITH(fits.gradient(narrow, t, mm::LossKind::cross_entropy),
                      Catch::Contains("targets t have 1 entries"));
    const mm::MnistSplit other = random_split(rng, 4, 3);
    CHECK_THROWS_WITH(mm::evaluate(fits, other, index, true, 0, nullptr),
                      Catch::Contains("covers 3 images of 9 pixels; the split has 4 of 9"));
}
