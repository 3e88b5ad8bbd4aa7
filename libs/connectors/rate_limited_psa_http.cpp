#include "connectors/rate_limited_psa_http.h"

#include "common/consume_loop.h"
#include "common/log.h"
#include "connectors/endpoint_family.h"

namespace switchyard::connectors {

RateLimit rate_limit_of(const RateLimitConfig& config) { return RateLimit{config.requests_per_second, config.burst}; }

RateLimit tenant_rate_limit(const Tenant& tenant) { return rate_limit_of(tenant.rate_limit); }

bool is_budget_refusal(std::string_view reason) {
  return reason == kRateLimitReason || reason == kBackfillShareReason || reason == kEndpointBudgetReason ||
         reason == kEgressBudgetReason;
}

RateLimitedPsaHttp::RateLimitedPsaHttp(PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant,
                                       const ConnectorBudgets& budgets, const std::atomic<bool>& stop,
                                       ThrottleOptions options)
    : inner_(inner), limiter_(limiter), tenant_(tenant), budgets_(budgets), stop_(stop), options_(std::move(options)) {}

Result<http::ClientResponse> RateLimitedPsaHttp::throttle(std::chrono::milliseconds wait, std::string reason) {
  const auto until = std::chrono::steady_clock::now() + wait;
  if (!throttled_until_ || *throttled_until_ < until) throttled_until_ = until;
  throttle_reason_ = reason;
  return make_error("throttled", "tenant throttled (" + reason + ") for " + std::to_string(wait.count()) + " ms");
}

std::string RateLimitedPsaHttp::egress_scope() const { return "egress:" + tenant_.psa + ":" + tenant_.egress; }

Result<std::optional<RateLimitedPsaHttp::Refusal>> RateLimitedPsaHttp::acquire(const std::string& family) {
  // The tenant's budgets are one atomic take (one hash slot): a refusal by one spends none.
  std::vector<RateBucket> buckets{{tenant_.id, "", tenant_rate_limit(tenant_)}};
  std::vector<std::string_view> reasons{kRateLimitReason};
  if (!options_.extra_bucket.empty()) {
    buckets.push_back({tenant_.id, options_.extra_bucket, options_.extra_limit});
    reasons.push_back(kBackfillShareReason);
  }
  if (budgets_.per_endpoint_family) {
    buckets.push_back({tenant_.id, "endpoint:" + family, rate_limit_of(*budgets_.per_endpoint_family)});
    reasons.push_back(kEndpointBudgetReason);
  }
  auto decision = limiter_.acquire_all(buckets);
  if (!decision) return decision.error();
  if (!decision->allowed) {
    const size_t i = decision->denied_by >= 0 ? static_cast<size_t>(decision->denied_by) : 0;
    return std::optional<Refusal>(Refusal{decision->retry_after, std::string(reasons[std::min(i, reasons.size() - 1)])});
  }
  // The egress's budget is another tenant-independent scope, so a second take: when it refuses,
  // the tenant's take above is spent for nothing, which errs on the side of calling less.
  if (budgets_.per_egress) {
    auto egress = limiter_.acquire_all({{egress_scope(), "", rate_limit_of(*budgets_.per_egress)}});
    if (!egress) return egress.error();
    if (!egress->allowed) return std::optional<Refusal>(Refusal{egress->retry_after, std::string(kEgressBudgetReason)});
  }
  return std::optional<Refusal>();
}

Status RateLimitedPsaHttp::pause_counted(const std::string& family, std::chrono::milliseconds pause) {
  if (budgets_.per_egress) return limiter_.pause(egress_scope(), "", pause);
  if (budgets_.per_endpoint_family) return limiter_.pause(tenant_.id, "endpoint:" + family, pause);
  return limiter_.pause(tenant_.id, pause);
}

Result<http::ClientResponse> RateLimitedPsaHttp::send(const http::ClientRequest& request) {
  const std::string family =
      budgets_.per_endpoint_family ? endpoint_family(tenant_.base_url, request.url) : std::string();
  for (;;) {
    if (stop_.load()) return make_error("shutting_down", "shutting down");
    auto refusal = acquire(family);
    if (!refusal) {
      // Redis down: calling unthrottled could get the tenant suspended by its PSA (Autotask
      // suspends the whole database at its limit), so the tenant waits instead.
      log::warn("rate limiter unavailable", {{"tenant", tenant_.id}, {"error", refusal.error().message}});
      return throttle(std::chrono::milliseconds(1000), std::string(kLimiterUnavailableReason));
    }
    if (!*refusal) break;
    const auto wait = (*refusal)->wait;
    if (wait > options_.max_inline_wait) return throttle(wait, (*refusal)->reason);
    const auto waited_from = std::chrono::steady_clock::now();
    const bool carry_on = sleep_unless_stopped(wait, stop_);
    if (options_.on_wait) {
      options_.on_wait(std::chrono::duration<double>(std::chrono::steady_clock::now() - waited_from).count());
    }
    if (!carry_on) return make_error("shutting_down", "shutting down");
  }

  const auto sent_at = std::chrono::steady_clock::now();
  auto response = inner_.send(request);
  if (response && budgets_.slow_answer) {
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent_at);
    if (took >= *budgets_.slow_answer) {
      if (auto st = pause_counted(family, took); !st) {
        log::warn("could not share the PSA's slowdown", {{"tenant", tenant_.id}, {"error", st.error().message}});
      }
      if (options_.on_slow_answer) options_.on_slow_answer();
    }
  }
  if (response && response->status == 429) {
    auto pause = retry_after_of(*response);
    if (pause.count() == 0) pause = std::chrono::milliseconds(1000);
    if (auto st = pause_counted(family, pause); !st) {
      log::warn("could not share the PSA's Retry-After", {{"tenant", tenant_.id}, {"error", st.error().message}});
    }
    return throttle(pause, std::string(kPsaThrottledReason));
  }
  return response;
}

}  // namespace switchyard::connectors
