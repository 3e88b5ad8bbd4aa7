#include "connectors/rate_limited_psa_http.h"

#include "common/consume_loop.h"
#include "common/log.h"

namespace switchyard::connectors {

RateLimit tenant_rate_limit(const Tenant& tenant) {
  return RateLimit{tenant.rate_limit.requests_per_second, tenant.rate_limit.burst};
}

RateLimitedPsaHttp::RateLimitedPsaHttp(PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant,
                                       const std::atomic<bool>& stop, ThrottleOptions options)
    : inner_(inner), limiter_(limiter), tenant_(tenant), stop_(stop), options_(std::move(options)) {}

Result<http::ClientResponse> RateLimitedPsaHttp::throttle(std::chrono::milliseconds wait, std::string reason) {
  const auto until = std::chrono::steady_clock::now() + wait;
  if (!throttled_until_ || *throttled_until_ < until) throttled_until_ = until;
  throttle_reason_ = reason;
  return make_error("throttled", "tenant throttled (" + reason + ") for " + std::to_string(wait.count()) + " ms");
}

Result<RateDecision> RateLimitedPsaHttp::acquire() {
  // The extra bucket first: a backfill refused by its own share must not spend the tenant's.
  if (!options_.extra_bucket.empty()) {
    auto extra = limiter_.acquire(tenant_.id + options_.extra_bucket, options_.extra_limit);
    if (!extra || !extra->allowed) return extra;
  }
  return limiter_.acquire(tenant_.id, tenant_rate_limit(tenant_));
}

Result<http::ClientResponse> RateLimitedPsaHttp::send(const http::ClientRequest& request) {
  for (;;) {
    if (stop_.load()) return make_error("shutting_down", "shutting down");
    auto decision = acquire();
    if (!decision) {
      // Redis down: calling unthrottled could get the tenant suspended by its PSA (Autotask
      // suspends the whole database at its limit), so the tenant waits instead.
      log::warn("rate limiter unavailable", {{"tenant", tenant_.id}, {"error", decision.error().message}});
      return throttle(std::chrono::milliseconds(1000), "limiter_unavailable");
    }
    if (decision->allowed) break;
    if (decision->retry_after > options_.max_inline_wait) return throttle(decision->retry_after, "rate_limit");
    const auto waited_from = std::chrono::steady_clock::now();
    const bool carry_on = sleep_unless_stopped(decision->retry_after, stop_);
    if (options_.on_wait) {
      options_.on_wait(std::chrono::duration<double>(std::chrono::steady_clock::now() - waited_from).count());
    }
    if (!carry_on) return make_error("shutting_down", "shutting down");
  }

  auto response = inner_.send(request);
  if (response && response->status == 429) {
    auto pause = retry_after_of(*response);
    if (pause.count() == 0) pause = std::chrono::milliseconds(1000);
    if (auto st = limiter_.pause(tenant_.id, pause); !st) {
      log::warn("could not share the PSA's Retry-After", {{"tenant", tenant_.id}, {"error", st.error().message}});
    }
    return throttle(pause, "psa_throttled");
  }
  return response;
}

}  // namespace switchyard::connectors
