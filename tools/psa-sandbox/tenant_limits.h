// TenantLimits: the state behind the tenant middleware (tenant_middleware.h) — which tenants
// exist, each tenant's quota (token bucket per second, fixed window per hour, or exhausted)
// and what it refused, and the latency rule with its jitter draws. Knows nothing about any
// PSA: PSAs register by name when their routes are wrapped. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

inline constexpr std::string_view kDefaultTenant = "default";  // requests without a prefix
inline constexpr std::string_view kEveryTenant = "*";          // the quota of tenants without one
inline constexpr std::string_view kTenantParam = "tenant";     // route capture of /tenants/{tenant}/
// Tenants (and so instances, buckets, counters) the sandbox keeps at most; requests for more
// are refused (503), so a client inventing names cannot grow memory without bound.
inline constexpr size_t kMaxTenants = 10000;
inline constexpr std::chrono::seconds kMaxLatency{60};
inline constexpr int kExhaustedRetryAfter = 30;  // Retry-After of an exhausted quota without one

// 1-64 of A-Z a-z 0-9 . _ - (the same in a URL path raw and decoded).
bool valid_tenant_name(std::string_view name);

class TenantLimits {
 public:
  void register_psa(std::string_view psa);

  // Validates (std::invalid_argument naming the member) and replaces the latency rule.
  void set_latency(const Latency& latency);
  Latency latency() const;
  // The delay for one request to `psa` of `tenant`: zero when the rule does not apply.
  std::chrono::milliseconds delay(std::string_view psa, std::string_view tenant);

  // Validates and sets `tenant`'s quota (`tenant` a name or "*"). Every change restarts all
  // buckets and windows; counts stay.
  void set_quota(std::string_view tenant, const Quota& quota);
  void clear_quota(std::string_view tenant);
  void clear_quotas();
  std::map<std::string, Quota> quotas() const;

  // False when `tenant` is new and kMaxTenants are already known (the request is refused).
  bool admit_tenant(std::string_view tenant);
  // One request of `tenant` (admitted) against its quota: nullopt when it may pass, else the
  // Retry-After seconds of its 429. Counted either way.
  std::optional<int> take(std::string_view tenant);
  std::map<std::string, TenantCounts> counts() const;
  // The latency `tenant`'s quota adds as its hour fills (Quota::slow_from_half, ...): zero
  // below half of requests_per_hour or without it.
  std::chrono::milliseconds budget_delay(std::string_view tenant) const;

  // Back to `latency` and `quotas` (each validated), with no tenants known and no counts.
  void reset(const Latency& latency, const std::map<std::string, Quota>& quotas);

 private:
  using Clock = std::chrono::steady_clock;
  struct State {
    double tokens = 0;
    Clock::time_point refilled{};
    bool started = false;  // bucket filled on the first request
    std::optional<Clock::time_point> window_start;
    int64_t window_used = 0;
    TenantCounts counts;
  };
  void validate_latency(const Latency& latency) const;
  static void validate_quota(std::string_view tenant, const Quota& quota);
  const Quota* quota_of(std::string_view tenant) const;
  void restart_buckets();

  mutable std::mutex mu_;
  std::set<std::string, std::less<>> psas_;
  Latency latency_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::map<std::string, Quota, std::less<>> quotas_;
  std::map<std::string, State, std::less<>> tenants_;
};

}  // namespace switchyard::sandbox
