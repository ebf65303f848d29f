#pragma once
// What a person sees while training runs. On a terminal: one progress line redrawn in place
// (iteration/total, bar, current and smoothed loss, iterations/s, ETA) and one permanent line per
// evaluation. Elsewhere (CI, pipes, files): plain periodic lines without control characters.
#include <cstddef>
#include <cstdio>
#include <string>

namespace mm {

class ProgressDisplay {
public:
    ProgressDisplay(std::FILE* out, bool terminal, bool quiet, std::size_t log_every,
                    std::size_t total_iterations, std::string loss_name);

    // After iteration `i` (0-based) with the trained loss; elapsed is the run's wall time.
    void iteration(std::size_t i, double loss, double elapsed_s);
    void evaluation(std::size_t i, double epoch, double train_accuracy, double test_accuracy);
    void message(const std::string& text);
    // Ends the redrawn line so the shell prompt starts on a fresh one.
    void finish();

private:
    void clear_line();

    std::FILE* out_;
    bool terminal_, quiet_;
    std::size_t log_every_, total_;
    std::string loss_name_;
    double smoothed_ = 0.0;
    bool have_smoothed_ = false;
    bool line_open_ = false;
    double last_draw_s_ = -1.0;
    std::size_t first_iteration_ = 0;
    double first_elapsed_s_ = 0.0;
    bool started_ = false;
};

}  // namespace mm
