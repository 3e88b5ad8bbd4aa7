#include "dispatch/rate_limited_psa_http.h"

#include <thread>

#include "common/consume_loop.h"
#include "common/log.h"

namespace switchyard::dispatch {

RateLimitedPsaHttp::RateLimitedPsaHttp(connectors::PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant,
                                       DispatchMetrics& metrics, const std::atomic<bool>& stop)
    : inner_(inner), limiter_(limiter), tenant_(tenant), metrics_(metrics), stop_(stop) {}

Result<http::ClientResponse> RateLimitedPsaHttp::send(const http::ClientRequest& request) {
  const RateLimit limit{tenant_.rate_limit.requests_per_second, tenant_.rate_limit.burst};
  for (;;) {
    auto decision = limiter_.acquire(tenant_.id, limit);
    if (!decision) {
      // Redis down: calling unthrottled could get the tenant suspended by its PSA (Autotask
      // suspends the whole database at its limit), so wait and ask again.
      log::warn("rate limiter unavailable", {{"tenant", tenant_.id}, {"error", decision.error().message}});
      if (!sleep_unless_stopped(std::chrono::milliseconds(500), stop_)) break;
      continue;
    }
    if (decision->allowed) break;
    const auto waited_from = std::chrono::steady_clock::now();
    const bool carry_on = sleep_unless_stopped(decision->retry_after, stop_);
    metrics_.add_throttled(tenant_.id,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - waited_from).count());
    if (!carry_on) break;
  }
  if (stop_.load()) return make_error("shutting_down", "dispatch is shutting down");

  auto response = inner_.send(request);
  if (response && response->status == 429) {
    auto pause = connectors::retry_after_of(*response);
    if (pause.count() == 0) pause = std::chrono::milliseconds(1000);
    if (auto st = limiter_.pause(tenant_.id, pause); !st) {
      log::warn("could not share the PSA's Retry-After", {{"tenant", tenant_.id}, {"error", st.error().message}});
    }
  }
  return response;
}

}  // namespace switchyard::dispatch
