#include <mnist_minibatch/blas_threads.hpp>

// Weak, so that linking against a BLAS without this OpenBLAS extension still works.
extern "C" void openblas_set_num_threads(int threads) __attribute__((weak));

namespace mm {

void use_one_blas_thread() {
    if (openblas_set_num_threads) openblas_set_num_threads(1);
}

}  // namespace mm
