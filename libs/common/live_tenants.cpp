#include "common/live_tenants.h"

namespace switchyard {

LiveTenants::LiveTenants(TenantDirectory initial)
    : current_(std::make_shared<const TenantDirectory>(std::move(initial))) {}

TenantSnapshot LiveTenants::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

TenantRef LiveTenants::find(std::string_view id) const {
  TenantSnapshot set = snapshot();
  const Tenant* tenant = set->find(id);
  if (tenant == nullptr) return nullptr;
  return TenantRef(std::move(set), tenant);  // shares ownership of the whole set
}

void LiveTenants::replace(TenantDirectory next) {
  auto fresh = std::make_shared<const TenantDirectory>(std::move(next));
  std::lock_guard serial(listeners_mutex_);
  {
    std::lock_guard lock(mutex_);
    current_ = fresh;
  }
  for (const Listener& listener : listeners_) listener(fresh);
}

void LiveTenants::on_change(Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

}  // namespace switchyard
