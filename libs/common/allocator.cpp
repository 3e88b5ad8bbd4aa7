#include "common/allocator.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string_view>

#if __has_include(<mimalloc.h>)
#include <mimalloc.h>
#endif

namespace switchyard {

std::string allocator_name() {
  // The first "malloc" in the global lookup order is the one every call in the process uses.
  void* malloc_in_use = dlsym(RTLD_DEFAULT, "malloc");
  Dl_info info{};
  if (malloc_in_use == nullptr || dladdr(malloc_in_use, &info) == 0 || info.dli_fname == nullptr) return "unknown";
  std::string_view path(info.dli_fname);
  if (const auto slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return std::string(path.empty() ? "unknown" : path);
}

long tune_allocator() {
#if defined(MI_MALLOC_VERSION)
  // Looked up, not linked: libs/common also goes into binaries that run on glibc's malloc.
  using OptionGet = long (*)(mi_option_t);
  using OptionSet = void (*)(mi_option_t, long);
  const auto get = reinterpret_cast<OptionGet>(dlsym(RTLD_DEFAULT, "mi_option_get"));
  const auto set = reinterpret_cast<OptionSet>(dlsym(RTLD_DEFAULT, "mi_option_set"));
  if (get == nullptr || set == nullptr || allocator_name().find("mimalloc") == std::string::npos) return -1;
#if MI_MALLOC_VERSION >= 210
  constexpr mi_option_t kReleaseDelay = mi_option_purge_delay;
#else
  constexpr mi_option_t kReleaseDelay = mi_option_decommit_delay;
#endif
  const bool operator_chose = std::getenv("MIMALLOC_PURGE_DELAY") != nullptr ||
                              std::getenv("MIMALLOC_DECOMMIT_DELAY") != nullptr ||
                              std::getenv("MIMALLOC_RESET_DELAY") != nullptr;
  if (!operator_chose) set(kReleaseDelay, kAllocatorReleaseDelayMs);
  return get(kReleaseDelay);
#else
  return -1;
#endif
}

}  // namespace switchyard
