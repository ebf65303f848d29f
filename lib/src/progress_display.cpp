#include <mnist_minibatch/progress_display.hpp>

#include <cmath>
#include <utility>

namespace mm {
namespace {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--";
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
    return buf;
}

// An exponential moving average, as loss curves are noisy batch to batch.
constexpr double kSmoothing = 0.98;
constexpr int kBarWidth = 24;
constexpr double kRedrawSeconds = 0.1;

}  // namespace

ProgressDisplay::ProgressDisplay(std::FILE* out, bool terminal, bool quiet, std::size_t log_every,
                                 std::size_t total_iterations, std::string loss_name)
    : out_(out), terminal_(terminal), quiet_(quiet), log_every_(log_every ? log_every : 1),
      total_(total_iterations), loss_name_(std::move(loss_name)) {}

void ProgressDisplay::clear_line() {
    if (line_open_) {
        std::fputs("\r\033[2K", out_);
        line_open_ = false;
    }
}

void ProgressDisplay::iteration(std::size_t i, double loss, double elapsed_s) {
    if (!started_) {
        started_ = true;
        first_iteration_ = i;
        first_elapsed_s_ = elapsed_s;
    }
    if (std::isfinite(loss)) {
        smoothed_ = have_smoothed_ ? kSmoothing * smoothed_ + (1 - kSmoothing) * loss : loss;
        have_smoothed_ = true;
    }
    if (quiet_) return;
    const std::size_t done = i + 1;
    const bool last = done == total_;
    if (terminal_) {
        if (!last && elapsed_s - last_draw_s_ < kRedrawSeconds) return;
    } else if (done % log_every_ != 0 && !last) {
        return;
    }
    last_draw_s_ = elapsed_s;
    const double run_s = elapsed_s - first_elapsed_s_;
    const double rate = run_s > 0 ? static_cast<double>(done - first_iteration_) / run_s : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
    if (terminal_) {
        const int filled = static_cast<int>(kBarWidth * static_cast<double>(done) /
                                            static_cast<double>(total_));
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(kBarWidth, '.');
        std::fprintf(out_, "\r\033[2K%zu/%zu [%s] %s %.4f (smoothed %.4f) %.0f it/s ETA %s", done,
                     total_, bar.c_str(), loss_name_.c_str(), loss, smoothed_, rate,
                     format_duration(eta).c_str());
        line_open_ = true;
    } else {
        std::fprintf(out_, "iteration %zu/%zu %s %.6f smoothed %.6f %.0f it/s elapsed %s ETA %s\n",
                     done, total_, loss_name_.c_str(), loss, smoothed_, rate,
                     format_duration(elapsed_s).c_str(), format_duration(eta).c_str());
    }
    std::fflush(out_);
}

void ProgressDisplay::evaluation(std::size_t i, double epoch, double train_accuracy,
                                 double test_accuracy) {
    if (quiet_) return;
    clear_line();
    std::fprintf(out_, "iteration %zu epoch %.2f train acc, test acc | %.4f, %.4f\n", i, epoch,
                 train_accuracy, test_accuracy);
    std::fflush(out_);
}

void ProgressDisplay::message(const std::string& text) {
    clear_line();
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
}

void ProgressDisplay::finish() {
    if (line_open_) {
        std::fputs("\n", out_);
        line_open_ = false;
    }
    std::fflush(out_);
}

}  // namespace mm
