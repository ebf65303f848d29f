#pragma once
// Comparison of a run with one of the book's own numpy runs (shared/reference/
// chapter4_train_seed*.json): every logged loss and every evaluation's correct counts.
#include <cstddef>
#include <string>
#include <vector>

namespace mm {

// The shared reference README shows independent implementations stay within 2e-15; 1e-12 leaves
// room for any summation order while still catching a wrong formula at the first iteration.
inline constexpr double kBookLossTolerance = 1e-12;

struct BookEvaluationRow {
    std::size_t iteration = 0, reference_iteration = 0;
    std::size_t train_correct = 0, reference_train_correct = 0;
    std::size_t test_correct = 0, reference_test_correct = 0;
    double max_relative_loss_difference_so_far = 0;
    bool same() const {
        return iteration == reference_iteration && train_correct == reference_train_correct &&
               test_correct == reference_test_correct;
    }
};

struct BookComparison {
    std::size_t losses_compared = 0;
    double max_relative_loss_difference = 0;
    std::size_t worst_iteration = 0;
    std::vector<BookEvaluationRow> evaluations;  // those the run reached

    bool reproduced() const;
};

// Reads run_dir/loss.csv (the cee column) and run_dir/epochs.csv; throws mm::Error naming the
// file when one is missing or malformed.
BookComparison compare_with_book(const std::string& run_dir, const std::string& reference_path);

}  // namespace mm
