#include "memory_reuse.h"

#include <malloc.h>

#include <cstdlib>

namespace hft::app {

void reuse_large_blocks() {
  constexpr int kLargest = 1 << 30;  // blocks up to 1 GiB come from the heap
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, kLargest);
  if (!std::getenv("MALLOC_TRIM_THRESHOLD_")) mallopt(M_TRIM_THRESHOLD, kLargest);
  constexpr int kGrowth = 64 << 20;  // a heap grows by at least this much (address space only)
  if (!std::getenv("MALLOC_TOP_PAD_")) mallopt(M_TOP_PAD, kGrowth);
}

}  // namespace hft::app
