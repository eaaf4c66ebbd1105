#pragma once
// Transparent huge pages, as the host's start-up memory uses them (util/allocator_tuning.h
// for the heap, scan/hyperscan_database.cc for the cached databases).

#include <cstddef>
#include <cstdint>

namespace phiguard::util {

// The x86-64 and arm64 (4 KiB base pages) size of a transparent huge page.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// The first huge-page boundary at or after `address`: advice covers only whole huge pages.
inline char* NextHugePageBoundary(char* address) {
  const auto offset = reinterpret_cast<std::uintptr_t>(address) % kHugePageBytes;
  return offset == 0 ? address : address + (kHugePageBytes - offset);
}

}  // namespace phiguard::util
