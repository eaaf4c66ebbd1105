#include "util/allocator_tuning.h"

#include <malloc.h>

namespace phiguard::util {

void TuneAllocatorForScanning() {
  constexpr int kKeepForReuseBytes = 8 * 1024 * 1024;
  // Setting either fixes both (glibc stops adjusting them itself). Failures only leave the
  // defaults in place, which are slower, not wrong.
  mallopt(M_MMAP_THRESHOLD, kKeepForReuseBytes);
  mallopt(M_TRIM_THRESHOLD, kKeepForReuseBytes);
}

}  // namespace phiguard::util
