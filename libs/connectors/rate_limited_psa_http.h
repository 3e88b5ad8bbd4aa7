// PsaHttp that takes the tenant's shared rate limit (GCRA in Redis, shared by every replica of
// every service: dispatch's writes and ingest's polls spend one budget) before each call, and
// turns a PSA's 429 + Retry-After into a pause that every replica honours.
//
// It never sleeps long: a short wait for the limiter (up to `max_inline_wait`) happens inline,
// but a longer one — or a 429 from the PSA — ends the call with error "throttled" and records
// until when the tenant is throttled. The engine that owns the thread then parks the tenant
// and gives the thread to another tenant, so a throttled PSA never holds anyone else up.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "common/rate_limiter.h"
#include "common/tenants.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors {

struct ThrottleOptions {
  std::chrono::milliseconds max_inline_wait{1000};
  // Optional second bucket that must also allow the call (e.g. a backfill's share of the
  // tenant's budget): key suffix and limit. Empty suffix = none.
  std::string extra_bucket;
  RateLimit extra_limit{};
  // Called with the seconds spent waiting inline (for a throttled-seconds metric); may be empty.
  std::function<void(double)> on_wait;
};

class RateLimitedPsaHttp : public PsaHttp {
 public:
  RateLimitedPsaHttp(PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant, const std::atomic<bool>& stop,
                     ThrottleOptions options = {});

  // Errors: "throttled" (see throttled_until), "shutting_down" (stop was set while waiting).
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;

  // Set once a call was refused by the limiter for longer than max_inline_wait, answered 429
  // by the PSA, or the limiter was unreachable: the tenant should not be called before then.
  std::optional<std::chrono::steady_clock::time_point> throttled_until() const { return throttled_until_; }
  // Why: "rate_limit", "psa_throttled" (429) or "limiter_unavailable". Empty when not throttled.
  const std::string& throttle_reason() const { return throttle_reason_; }

 private:
  Result<http::ClientResponse> throttle(std::chrono::milliseconds wait, std::string reason);
  // Allowed by every bucket now, or the longest wait any of them asks for.
  Result<RateDecision> acquire();

  PsaHttp& inner_;
  RateLimiter& limiter_;
  const Tenant& tenant_;
  const std::atomic<bool>& stop_;
  ThrottleOptions options_;
  std::optional<std::chrono::steady_clock::time_point> throttled_until_;
  std::string throttle_reason_;
};

// The tenant's configured limit as the limiter takes it.
RateLimit tenant_rate_limit(const Tenant& tenant);

}  // namespace switchyard::connectors
