#include "util/allocator_tuning.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/huge_pages.h"

namespace phiguard::util {

void TuneAllocatorForScanning() {
  constexpr int kKeepForReuseBytes = 8 * 1024 * 1024;
  // Setting either fixes both (glibc stops adjusting them itself). Failures only leave the
  // defaults in place, which are slower, not wrong.
  mallopt(M_MMAP_THRESHOLD, kKeepForReuseBytes);
  mallopt(M_TRIM_THRESHOLD, kKeepForReuseBytes);
}

void StartHeapOnHugePages(std::size_t bytes) {
  // With a top pad of `bytes`, the next growth of the heap (forced here by an allocation
  // below the mmap threshold) maps that much at once, and the advice covers all of it: the
  // kernel's later growths are separate mappings the advice would not reach.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  void* first = malloc(std::size_t{1} << 20);
  if (first == nullptr) return;
  auto* const end = static_cast<char*>(sbrk(0));
  auto* const start = NextHugePageBoundary(static_cast<char*>(first));
  // Advice only: with THP off the pages stay 4 KiB, as before.
  if (end > start) madvise(start, static_cast<std::size_t>(end - start), MADV_HUGEPAGE);
  free(first);  // the heap keeps `bytes` of top pad when it trims
}

void ReturnFreePages() { malloc_trim(0); }

void EndStartHeap() { mallopt(M_TOP_PAD, 128 * 1024); }  // glibc's default

}  // namespace phiguard::util
