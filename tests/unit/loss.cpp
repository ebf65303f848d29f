#include <mnist_minibatch/loss.hpp>

#include "chapter4_reference.hpp"

#include <mnist_minibatch/error.hpp>

#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include <array>
#include <cmath>

using mm::test::reference_value;
using mm::test::reference_vector;

namespace {

xt::xtensor<double, 1> y1() { return reference_vector("/sum_squared_error/inputs/y1"); }
xt::xtensor<double, 1> y2() { return reference_vector("/sum_squared_error/inputs/y2"); }
xt::xtensor<double, 1> t() { return reference_vector("/sum_squared_error/inputs/t"); }

xt::xtensor<double, 2> both_rows() {
    xt::xtensor<double, 2> y({2, 10});
    xt::row(y, 0) = y1();
    xt::row(y, 1) = y2();
    return y;
}

}  // namespace

TEST_CASE("sum of squares error reproduces the book's 0.0975 and 0.5975 bit for bit", "[loss]") {
    CHECK(mm::sum_squares_error(y1(), t()) == reference_value("/sum_squared_error/y1_t"));
    CHECK(mm::sum_squares_error(y2(), t()) == reference_value("/sum_squared_error/y2_t"));
    // Only numpy's pairwise order gives that; the left-to-right value is 1 ulp away for y2.
    CHECK(reference_value("/sum_squared_error/y2_t") !=
          reference_value("/sum_squared_error/left_to_right_sum/y2_t"));
    CHECK(mm::sum_squares_error(y1(), std::size_t{2}) == reference_value("/sum_squared_error/y1_t"));
    CHECK(mm::sum_squares_error(y2(), std::size_t{2}) == reference_value("/sum_squared_error/y2_t"));
}

TEST_CASE("cross entropy error reproduces the book's values (libm exp/log) bit for bit", "[loss]") {
    const double y1_t = reference_value("/cross_entropy_error_single/y1_t");
    const double y2_t = reference_value("/cross_entropy_error_single/y2_t_libm");
    CHECK(mm::cross_entropy_error(y1(), t()) == y1_t);
    CHECK(mm::cross_entropy_error(y2(), t()) == y2_t);
    CHECK(mm::cross_entropy_error(y1(), std::size_t{2}) == y1_t);
    CHECK(mm::cross_entropy_error(y2(), std::size_t{2}) == y2_t);
    // numpy's own AVX512 log is at most 1 ulp away.
    CHECK(mm::cross_entropy_error(y2(), t()) ==
          Approx(reference_value("/cross_entropy_error_single/y2_t")).epsilon(1e-15));
}

TEST_CASE("batch cross entropy is averaged, with one-hot or index targets", "[loss]") {
    xt::xtensor<double, 2> onehot({2, 10});
    xt::row(onehot, 0) = t();
    xt::row(onehot, 1) = t();
    const xt::xtensor<std::size_t, 1> labels{2, 2};
    const double expected = reference_value("/cross_entropy_error_batch/value_libm");
    CHECK(mm::cross_entropy_error(both_rows(), onehot) == expected);
    CHECK(mm::cross_entropy_error(both_rows(), labels) == expected);
    CHECK(expected == Approx((reference_value("/cross_entropy_error_single/y1_t") +
                              reference_value("/cross_entropy_error_single/y2_t_libm")) / 2)
                          .epsilon(1e-15));
}

TEST_CASE("batch sum of squares is averaged; the book's un-averaged form is offered", "[loss]") {
    xt::xtensor<double, 2> onehot({2, 10});
    xt::row(onehot, 0) = t();
    xt::row(onehot, 1) = t();
    const xt::xtensor<std::size_t, 1> labels{2, 2};
    const double book = mm::book_sum_squared_error(both_rows(), onehot);
    CHECK(book == Approx(0.0975 + 0.5975).epsilon(1e-15));
    CHECK(mm::sum_squares_error(both_rows(), onehot) == book / 2);
    CHECK(mm::sum_squares_error(both_rows(), labels) == book / 2);
    const auto both = mm::batch_loss(both_rows(), labels);
    CHECK(both.sum_squares == book / 2);
    CHECK(both.cross_entropy == mm::cross_entropy_error(both_rows(), labels));
}

TEST_CASE("sum of squares with class indices equals the one-hot form bit for bit, at any size",
          "[loss]") {
    // Sizes across the pairwise sum's 8-term and 128-term blocks and its 8192-term chunks.
    for (const std::size_t n : {1, 3, 13, 100, 1000}) {
        CAPTURE(n);
        const std::array<std::size_t, 2> shape{n, 10};
        xt::xtensor<float, 2> y(shape);
        xt::xtensor<float, 2> onehot = xt::zeros<float>(shape);
        auto labels = xt::xtensor<std::size_t, 1>::from_shape({n});
        for (std::size_t r = 0; r < n; ++r) {
            for (std::size_t c = 0; c < 10; ++c)
                y(r, c) = static_cast<float>(std::fmod(0.37 * static_cast<double>(r * 10 + c), 1.0));
            labels(r) = (r * 7) % 10;
            onehot(r, labels(r)) = 1.0f;
        }
        CHECK(mm::sum_squares_error(y, labels) == mm::sum_squares_error(y, onehot));
    }
}

TEST_CASE("a batch of one equals the single-sample form", "[loss]") {
    xt::xtensor<double, 2> y({1, 10});
    xt::row(y, 0) = y2();
    const xt::xtensor<std::size_t, 1> label{2};
    CHECK(mm::cross_entropy_error(y, label) == mm::cross_entropy_error(y2(), std::size_t{2}));
    CHECK(mm::sum_squares_error(y, label) == mm::sum_squares_error(y2(), std::size_t{2}));
}

TEST_CASE("a probability of exactly 0 for the true class gives a finite cross entropy", "[loss]") {
    const xt::xtensor<double, 1> y{1.0, 0.0};
    const double e = mm::cross_entropy_error(y, std::size_t{1});
    CHECK(std::isfinite(e));
    CHECK(e == -std::log(1e-7));
    const xt::xtensor<float, 1> yf{1.0f, 0.0f};
    CHECK(mm::cross_entropy_error(yf, std::size_t{1}) == Approx(16.118095f));
}

TEST_CASE("float32 losses agree with float64 to float precision", "[loss]") {
    const xt::xtensor<float, 1> yf = xt::cast<float>(y1());
    const xt::xtensor<float, 1> tf = xt::cast<float>(t());
    CHECK(mm::cross_entropy_error(yf, tf) == Approx(0.510825457099338).epsilon(1e-6));
    CHECK(mm::sum_squares_error(yf, tf) == Approx(0.0975).epsilon(1e-6));
}

TEST_CASE("losses reject mismatched shapes, empty input and bad class indices", "[loss]") {
    const xt::xtensor<double, 1> short_t{0, 1, 0};
    CHECK_THROWS_WITH(mm::cross_entropy_error(y1(), short_t),
                      Catch::Contains("y has shape (10,) but t has shape (3,)"));
    CHECK_THROWS_AS(mm::sum_squares_error(y1(), short_t), mm::Error);
    CHECK_THROWS_WITH(mm::cross_entropy_error(y1(), std::size_t{10}),
                      Catch::Contains("class index t is 10; expected an index below the 10"));
    CHECK_THROWS_AS(mm::sum_squares_error(y1(), std::size_t{12}), mm::Error);

    const xt::xtensor<std::size_t, 1> bad{2, 11};
    CHECK_THROWS_WITH(mm::cross_entropy_error(both_rows(), bad),
                      Catch::Contains("t[1] is 11"));
    CHECK_THROWS_AS(mm::sum_squares_error(both_rows(), bad), mm::Error);
    const xt::xtensor<std::size_t, 1> three{2, 2, 2};
    CHECK_THROWS_WITH(mm::cross_entropy_error(both_rows(), three),
                      Catch::Contains("y has 2 rows but t has 3 class indices"));
    const xt::xtensor<double, 2> wrong = xt::zeros<double>({2, 9});
    CHECK_THROWS_WITH(mm::book_sum_squared_error(both_rows(), wrong),
                      Catch::Contains("(2, 10) but t has shape (2, 9)"));
    const xt::xtensor<double, 2> empty = xt::zeros<double>({0, 10});
    const xt::xtensor<std::size_t, 1> none = xt::zeros<std::size_t>({0});
    CHECK_THROWS_WITH(mm::cross_entropy_error(empty, none), Catch::Contains("at least one sample"));
    CHECK_THROWS_AS(mm::sum_squares_error(empty, empty), mm::Error);
}
