// Which malloc this process runs on. The services link mimalloc in release builds
// (cmake/Allocator.cmake, docs/performance.md): normalize and ingest allocate and free per
// message, and glibc's malloc took 15-20 % of their CPU. Sanitizer builds keep the system's,
// since AddressSanitizer must own malloc. Logged at start, so an image built without it shows.
#pragma once

#include <string>

namespace switchyard {

// The file name of the shared object whose malloc the process's calls resolve to
// ("libmimalloc.so.2", "libc.so.6"), or the executable's name when it defines malloc itself
// (a statically linked allocator, or a sanitizer's interceptor).
std::string allocator_name();

}  // namespace switchyard
