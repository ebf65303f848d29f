#pragma once
// OpenBLAS splits a product over its own threads, which slows the network's small products down
// and, for dgemm, changes the rounding with the thread count. The library threads over
// independent rows itself (evaluation blocks) and keeps BLAS to one thread.

namespace mm {

// Sets OpenBLAS to one thread; does nothing when the linked BLAS is not OpenBLAS.
void use_one_blas_thread();

}  // namespace mm
