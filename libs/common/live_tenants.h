// LiveTenants: the tenants a service runs with now, replaced as a whole when the configuration
// is reloaded (common/tenant_reloader.h). Readers take a reference-counted snapshot, so a
// request or command in progress keeps the tenant it started with even if a reload removes it;
// the old set (and its credentials) is freed when the last such reader lets go.
// Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "common/tenants.h"

namespace switchyard {

using TenantRef = std::shared_ptr<const Tenant>;
using TenantSnapshot = std::shared_ptr<const TenantDirectory>;

class LiveTenants {
 public:
  explicit LiveTenants(TenantDirectory initial = {});
  LiveTenants(const LiveTenants&) = delete;
  LiveTenants& operator=(const LiveTenants&) = delete;

  TenantSnapshot snapshot() const;
  // nullptr when no such tenant is configured now.
  TenantRef find(std::string_view id) const;
  size_t size() const { return snapshot()->size(); }

  // Swaps in `next` and then tells every listener, on the caller's thread, in the order they
  // subscribed. Listeners must not call replace().
  void replace(TenantDirectory next);
  using Listener = std::function<void(const TenantSnapshot&)>;
  void on_change(Listener listener);

 private:
  mutable std::mutex mutex_;
  TenantSnapshot current_;
  std::mutex listeners_mutex_;  // also serialises replace(), so listeners see snapshots in order
  std::vector<Listener> listeners_;
};

}  // namespace switchyard
