#pragma once

#include <cstddef>
// glibc malloc settings for a process that scans texts of up to megabytes, one after another.

namespace phiguard::util {

// By default glibc hands buffers of 128 KiB and more back to the kernel when they are freed
// (mmap threshold) and trims the heap top past 128 KiB, so every scan of a 64 KB post
// (offset maps of 256 and 512 KiB) page-faulted its buffers in again: 3 ms instead of
// 0.9 ms on the 2-core VM (docs/performance.md). A host whose rules were compiled in-process
// escaped this only because the compiler's large frees had raised glibc's dynamic
// thresholds; one started from the rule cache did not. Call once, first thing in main().
// Buffers of 8 MiB and more (pastes of megabytes) are still returned at once, so memory
// kept for reuse stays bounded.
void TuneAllocatorForScanning();

// Puts the next `bytes` of heap on transparent huge pages (where the kernel has them), for
// a process that allocates that much while it starts; EndStartHeap() once it has started
// lets later growth be ordinary again. Every allocation the host makes while loading its
// rules (packs, 1.3 MB of word lists, tables) touched fresh 4 KiB pages, and on the 2-core
// VM each first touch is a trip to the hypervisor: 2 MiB pages took a warm start from 79
// to 64 ms there (docs/performance.md "Start-up and memory"), for about 0.7 MB more resident.
// Call after TuneAllocatorForScanning(), before anything large is allocated.
void StartHeapOnHugePages(std::size_t bytes);
void EndStartHeap();

// Hands the heap's free whole pages back to the system (malloc_trim): after a large release,
// since glibc keeps free memory between live blocks. The next large scan faults its buffers
// in again, so not after every scan.
void ReturnFreePages();

}  // namespace phiguard::util
