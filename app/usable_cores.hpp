#pragma once
// The default --threads: every core this process may run on (its CPU affinity, which a container
// or taskset narrows), at most 64.
#include <algorithm>
#include <cstddef>

#include <sched.h>

namespace mm::app {

inline std::size_t usable_cores() {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    const int count = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
    return static_cast<std::size_t>(std::clamp(count, 1, 64));
}

}  // namespace mm::app
