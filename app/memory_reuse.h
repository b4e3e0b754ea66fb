// The C library's allocator, set for a training process.
#pragma once

namespace hft::app {

// glibc serves blocks above 32 MiB with a fresh mmap and unmaps them when freed. A training step
// frees and allocates blocks that size every step (a 30522 x 384 embedding's gradient is 45 MiB),
// and each fresh mapping is page-faulted and zeroed by the kernel again: about a tenth of a
// small model's CPU step. Serving them from the heap and keeping freed memory lets the next step
// reuse it, for ~10% more peak memory.
//
// A heap also grows 64 MiB at a time (address space; pages are touched only when used): a
// thread's heap grew by 128 KiB steps, each an mprotect that stalls the other threads' page
// faults, thousands per batch of texts encoded on two threads (~10% of its time).
//
// A user's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ / MALLOC_TOP_PAD_ wins.
void reuse_large_blocks();

}  // namespace hft::app
