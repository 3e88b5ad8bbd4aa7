#include "common/allocator.h"

#include <dlfcn.h>

#include <string_view>

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

}  // namespace switchyard
