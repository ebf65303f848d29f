#pragma once
// A fixed set of threads that run one function on every part of a split piece of work, for the
// training step: it is split thousands of times per second into pieces of about 50
// microseconds, too short to start threads for. Waiting threads spin briefly before they
// sleep, so a step's next piece starts without a wake-up call on an idle machine and a busy
// machine loses little to spinning.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mm {

class ThreadPool {
public:
    // `threads` parts per run (at least 1): the calling thread and threads - 1 workers. Throws
    // mm::Error when threads is 0 or a thread cannot be started.
    explicit ThreadPool(std::size_t threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    std::size_t size() const { return workers_.size() + 1; }

    // Calls part(p) for every p in [0, size()) at once, part 0 on the calling thread, and
    // returns when all have returned. An exception from a part is rethrown here (the first by
    // part number) after all parts have finished. Not reentrant.
    void run(const std::function<void(std::size_t)>& part);

private:
    void work(std::size_t p);
    void stop();  // ends and joins the workers

    std::vector<std::thread> workers_;
    std::vector<std::exception_ptr> errors_;
    const std::function<void(std::size_t)>* part_ = nullptr;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::size_t generation_ = 0;  // guarded by mutex_, mirrored in published_ for spinning
    std::atomic<std::size_t> published_{0};
    std::atomic<std::size_t> finished_{0};
    bool stop_ = false;
};

// Calls part(p, parts) for every part p in [0, parts): on the pool's threads (parts = its size),
// or without a pool as one part on the calling thread.
void run_parts(ThreadPool* pool, const std::function<void(std::size_t, std::size_t)>& part);

}  // namespace mm
