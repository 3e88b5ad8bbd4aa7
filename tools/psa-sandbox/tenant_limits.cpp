#include "psa-sandbox/tenant_limits.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace switchyard::sandbox {

bool valid_tenant_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

void TenantLimits::register_psa(std::string_view psa) {
  std::lock_guard lock(mu_);
  psas_.emplace(psa);
}

void TenantLimits::validate_latency(const Latency& l) const {
  if (l.fixed.count() < 0 || l.fixed > kMaxLatency) throw std::invalid_argument("latency_ms must be 0..60000");
  if (l.jitter.count() < 0 || l.jitter > kMaxLatency) throw std::invalid_argument("jitter_ms must be 0..60000");
  if (!l.psa.empty() && l.psa != "*") {
    std::lock_guard lock(mu_);
    if (!psas_.contains(l.psa)) throw std::invalid_argument("psa must be a PSA the sandbox imitates, \"*\" or empty");
  }
  if (!l.tenant.empty() && !valid_tenant_name(l.tenant)) {
    throw std::invalid_argument("tenant must be 1-64 of A-Z a-z 0-9 . _ - (or empty: every tenant)");
  }
}

void TenantLimits::set_latency(const Latency& latency) {
  validate_latency(latency);
  std::lock_guard lock(mu_);
  latency_ = latency;
  rng_.seed(latency.seed != 0 ? latency.seed : std::random_device{}());
}

Latency TenantLimits::latency() const {
  std::lock_guard lock(mu_);
  return latency_;
}

std::chrono::milliseconds TenantLimits::delay(std::string_view psa, std::string_view tenant) {
  std::lock_guard lock(mu_);
  const Latency& l = latency_;
  if (l.fixed.count() == 0 && l.jitter.count() == 0) return std::chrono::milliseconds(0);
  if (!l.psa.empty() && l.psa != "*" && l.psa != psa) return std::chrono::milliseconds(0);
  if (!l.tenant.empty() && l.tenant != tenant) return std::chrono::milliseconds(0);
  int64_t extra = 0;
  if (l.jitter.count() > 0) extra = std::uniform_int_distribution<int64_t>(0, l.jitter.count())(rng_);
  return l.fixed + std::chrono::milliseconds(extra);
}

void TenantLimits::validate_quota(std::string_view tenant, const Quota& q) {
  if (tenant != kEveryTenant && !valid_tenant_name(tenant)) {
    throw std::invalid_argument("tenant must be 1-64 of A-Z a-z 0-9 . _ - , or \"*\"");
  }
  if (!std::isfinite(q.requests_per_second) || q.requests_per_second < 0 || q.requests_per_second > 100000) {
    throw std::invalid_argument("requests_per_second must be 0..100000");
  }
  if (q.burst < 0 || q.burst > 1000000) throw std::invalid_argument("burst must be 0..1000000");
  if (q.burst > 0 && q.requests_per_second == 0) {
    throw std::invalid_argument("burst needs requests_per_second (it is the per-second bucket's size)");
  }
  if (q.requests_per_hour < 0 || q.requests_per_hour > 100000000) {
    throw std::invalid_argument("requests_per_hour must be 0..100000000");
  }
  for (const auto slow : {q.slow_from_half, q.slow_from_three_quarters}) {
    if (slow.count() < 0 || slow > std::chrono::milliseconds(60000)) {
      throw std::invalid_argument("slow_from_half_ms and slow_from_three_quarters_ms must be 0..60000");
    }
  }
  if (q.retry_after_seconds < 0 || q.retry_after_seconds > 86400) {
    throw std::invalid_argument("retry_after_seconds must be 0..86400");
  }
}

void TenantLimits::restart_buckets() {
  for (auto& [name, state] : tenants_) {
    const TenantCounts counts = state.counts;
    state = State{};
    state.counts = counts;
  }
}

void TenantLimits::set_quota(std::string_view tenant, const Quota& quota) {
  validate_quota(tenant, quota);
  std::lock_guard lock(mu_);
  quotas_.insert_or_assign(std::string(tenant), quota);
  restart_buckets();
}

void TenantLimits::clear_quota(std::string_view tenant) {
  std::lock_guard lock(mu_);
  if (const auto it = quotas_.find(tenant); it != quotas_.end()) quotas_.erase(it);
  restart_buckets();
}

void TenantLimits::clear_quotas() {
  std::lock_guard lock(mu_);
  quotas_.clear();
  restart_buckets();
}

std::map<std::string, Quota> TenantLimits::quotas() const {
  std::lock_guard lock(mu_);
  return {quotas_.begin(), quotas_.end()};
}

const Quota* TenantLimits::quota_of(std::string_view tenant) const {
  if (const auto it = quotas_.find(tenant); it != quotas_.end()) return &it->second;
  if (const auto it = quotas_.find(kEveryTenant); it != quotas_.end()) return &it->second;
  return nullptr;
}

bool TenantLimits::admit_tenant(std::string_view tenant) {
  std::lock_guard lock(mu_);
  if (tenants_.find(tenant) != tenants_.end()) return true;
  if (tenants_.size() >= kMaxTenants) return false;
  tenants_.emplace(std::string(tenant), State{});
  return true;
}

std::optional<int> TenantLimits::take(std::string_view tenant) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), State{}).first;  // admitted by the caller
  State& s = it->second;
  ++s.counts.requests;
  const Quota* q = quota_of(tenant);
  if (q == nullptr) return std::nullopt;
  const auto refuse = [&](int computed) {
    ++s.counts.throttled;
    return std::optional<int>(q->retry_after_seconds > 0 ? q->retry_after_seconds : std::max(1, computed));
  };
  if (q->exhausted) return refuse(kExhaustedRetryAfter);

  const auto now = Clock::now();
  if (q->requests_per_hour > 0) {
    if (!s.window_start || now - *s.window_start >= std::chrono::hours(1)) {
      s.window_start = now;
      s.window_used = 0;
    }
    if (s.window_used >= q->requests_per_hour) {
      const double left = std::chrono::duration<double>(*s.window_start + std::chrono::hours(1) - now).count();
      return refuse(static_cast<int>(std::ceil(left)));
    }
  }
  if (q->requests_per_second > 0) {
    const double capacity = q->burst > 0 ? q->burst : std::max(1.0, std::ceil(q->requests_per_second));
    if (!s.started) {
      s.started = true;
      s.tokens = capacity;
    } else {
      const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
      s.tokens = std::min(capacity, s.tokens + elapsed * q->requests_per_second);
    }
    s.refilled = now;
    if (s.tokens < 1.0) return refuse(static_cast<int>(std::ceil((1.0 - s.tokens) / q->requests_per_second)));
    s.tokens -= 1.0;
  }
  if (q->requests_per_hour > 0) ++s.window_used;
  return std::nullopt;
}

std::chrono::milliseconds TenantLimits::budget_delay(std::string_view tenant) const {
  std::lock_guard lock(mu_);
  const Quota* q = quota_of(tenant);
  const auto it = tenants_.find(tenant);
  if (q == nullptr || it == tenants_.end() || q->requests_per_hour <= 0) return std::chrono::milliseconds(0);
  const int64_t used = it->second.window_used;
  if (used * 4 >= q->requests_per_hour * 3) return q->slow_from_three_quarters;
  if (used * 2 >= q->requests_per_hour) return q->slow_from_half;
  return std::chrono::milliseconds(0);
}

std::map<std::string, TenantCounts> TenantLimits::counts() const {
  std::lock_guard lock(mu_);
  std::map<std::string, TenantCounts> out;
  for (const auto& [name, state] : tenants_) {
    if (state.counts.requests > 0) out.emplace(name, state.counts);
  }
  return out;
}

void TenantLimits::reset(const Latency& latency, const std::map<std::string, Quota>& quotas) {
  validate_latency(latency);
  for (const auto& [tenant, quota] : quotas) validate_quota(tenant, quota);
  std::lock_guard lock(mu_);
  latency_ = latency;
  rng_.seed(latency.seed != 0 ? latency.seed : std::random_device{}());
  quotas_ = {quotas.begin(), quotas.end()};
  tenants_.clear();
}

}  // namespace switchyard::sandbox
