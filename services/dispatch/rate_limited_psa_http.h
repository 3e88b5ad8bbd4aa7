// PsaHttp that waits for the tenant's shared rate limit (GCRA in Redis, shared by every
// dispatch replica) before each call, and turns a PSA's 429 + Retry-After into a pause that
// every replica honours.
#pragma once

#include <atomic>

#include "common/rate_limiter.h"
#include "common/tenants.h"
#include "connectors/psa_http.h"
#include "dispatch/dispatch_metrics.h"

namespace switchyard::dispatch {

class RateLimitedPsaHttp : public connectors::PsaHttp {
 public:
  RateLimitedPsaHttp(connectors::PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant, DispatchMetrics& metrics,
                     const std::atomic<bool>& stop);
  // Error "shutting_down" when stop is set while waiting.
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;

 private:
  connectors::PsaHttp& inner_;
  RateLimiter& limiter_;
  const Tenant& tenant_;
  DispatchMetrics& metrics_;
  const std::atomic<bool>& stop_;
};

}  // namespace switchyard::dispatch
