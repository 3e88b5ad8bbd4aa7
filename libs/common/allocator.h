// Which malloc this process runs on, and its one setting that matters. The services link
// mimalloc in release builds (cmake/Allocator.cmake, docs/performance.md): normalize and ingest
// allocate and free per message, and glibc's malloc took 15-20 % of their CPU. Sanitizer builds
// keep the system's, since AddressSanitizer must own malloc. Logged at start, so an image built
// without it shows.
#pragma once

#include <string>

namespace switchyard {

// The file name of the shared object whose malloc the process's calls resolve to
// ("libmimalloc.so.2", "libc.so.6"), or the executable's name when it defines malloc itself
// (a statically linked allocator, or a sanitizer's interceptor).
std::string allocator_name();

// How long mimalloc keeps freed pages before it hands them back to the kernel. Its default (25 ms
// in 2.0) is shorter than one of normalize's batches, so every batch faulted the same memory in
// again, zeroed by the kernel: 8,000-12,000 page faults a second (issue #18, docs/performance.md).
inline constexpr long kAllocatorReleaseDelayMs = 1000;

// Sets that delay to kAllocatorReleaseDelayMs, unless the environment sets mimalloc's own
// (MIMALLOC_PURGE_DELAY, MIMALLOC_DECOMMIT_DELAY or MIMALLOC_RESET_DELAY, which mimalloc reads).
// Returns the delay in force in ms, or -1 when the process does not run on mimalloc. Call before
// the service starts its threads.
long tune_allocator();

}  // namespace switchyard
