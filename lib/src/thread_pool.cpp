#include <mnist_minibatch/thread_pool.hpp>

#include <mnist_minibatch/error.hpp>

#include <chrono>
#include <string>
#include <system_error>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace mm {
namespace {

// Long enough to bridge the serial work between two pieces of a training step (the second
// layer, the loss, a log line), short enough not to matter when the wait is long.
constexpr std::chrono::microseconds kSpin(200);

inline void cpu_relax() {
#if defined(__x86_64__)
    _mm_pause();
#endif
}

// Spins until done() or kSpin has passed; true when done() was seen.
template <class Done>
bool spin_until(const Done& done) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (done()) return true;
            cpu_relax();
        }
        if (std::chrono::steady_clock::now() >= until) return done();
    }
}

}  // namespace

ThreadPool::ThreadPool(std::size_t threads) {
    if (threads == 0) throw Error("thread pool: threads is 0; expected at least 1");
    errors_.resize(threads);
    workers_.reserve(threads - 1);
    try {
        for (std::size_t p = 1; p < threads; ++p) workers_.emplace_back([this, p] { work(p); });
    } catch (const std::system_error& e) {
        stop();
        throw Error("thread pool: cannot start thread " + std::to_string(workers_.size() + 1) +
                    " of " + std::to_string(threads) + " (" + e.what() + "); try fewer --threads");
    }
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        ++generation_;
        published_.store(generation_, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
}

void ThreadPool::run(const std::function<void(std::size_t)>& part) {
    if (workers_.empty()) {
        part(0);
        return;
    }
    finished_.store(0, std::memory_order_relaxed);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        part_ = &part;
        ++generation_;
        published_.store(generation_, std::memory_order_release);
    }
    wake_.notify_all();
    try {
        part(0);
        errors_[0] = nullptr;
    } catch (...) {
        errors_[0] = std::current_exception();
    }
    const std::size_t others = workers_.size();
    auto all_done = [&] { return finished_.load(std::memory_order_acquire) == others; };
    if (!spin_until(all_done)) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, all_done);
    }
    for (const auto& error : errors_)
        if (error) std::rethrow_exception(error);
}

void ThreadPool::work(std::size_t p) {
    std::size_t seen = 0;
    for (;;) {
        auto published = [&] { return published_.load(std::memory_order_acquire) != seen; };
        const std::function<void(std::size_t)>* part = nullptr;
        {
            if (!spin_until(published)) {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return generation_ != seen; });
            }
            std::lock_guard<std::mutex> lock(mutex_);
            if (stop_) return;
            seen = generation_;
            part = part_;
        }
        try {
            (*part)(p);
            errors_[p] = nullptr;
        } catch (...) {
            errors_[p] = std::current_exception();
        }
        {
            // Under the mutex, so that a run() about to sleep on wake_ cannot miss this.
            std::lock_guard<std::mutex> lock(mutex_);
            finished_.fetch_add(1, std::memory_order_acq_rel);
        }
        wake_.notify_all();
    }
}

void run_parts(ThreadPool* pool, const std::function<void(std::size_t, std::size_t)>& part) {
    if (pool == nullptr || pool->size() == 1) {
        part(0, 1);
        return;
    }
    const std::size_t parts = pool->size();
    pool->run([&](std::size_t p) { part(p, parts); });
}

}  // namespace mm
