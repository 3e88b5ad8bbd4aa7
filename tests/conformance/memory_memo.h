// A WriteMemo in memory: dispatch's is Redis, and a fresh one stands for Redis having lost
// it (or a crash between the PSA's answer and the memo's write).
#pragma once

#include <map>
#include <string>

#include "connectors/connector.h"

namespace switchyard::conformance {

class MemoryMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant& tenant, std::string_view kind, std::string_view ref) override {
    auto it = entries_.find(key(tenant, kind, ref));
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void remember(const Tenant& tenant, std::string_view kind, std::string_view ref, std::string_view id) override {
    entries_[key(tenant, kind, ref)] = std::string(id);
  }

 private:
  static std::string key(const Tenant& tenant, std::string_view kind, std::string_view ref) {
    return tenant.id + "\n" + std::string(kind) + "\n" + std::string(ref);
  }
  std::map<std::string, std::string> entries_;
};

}  // namespace switchyard::conformance
