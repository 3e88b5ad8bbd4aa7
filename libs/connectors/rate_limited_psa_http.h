// PsaHttp that takes the tenant's shared rate limit (GCRA in Redis, shared by every replica of
// every service: dispatch's writes and ingest's polls spend one budget) before each call, and
// turns a PSA's 429 + Retry-After into a pause that every replica honours.
//
// Where the PSA counts more narrowly or more widely than per tenant (ConnectorBudgets), a call
// also spends its endpoint family's budget (the tenant's, per endpoint) and its egress's budget
// (shared by every tenant of the PSA behind that egress), and a 429 pauses the budget the PSA
// counts by: the egress, else the endpoint family, else the tenant.
//
// A PSA that slows its answers as its budget runs out (ConnectorBudgets::slow_answer) is met
// the same way: a slow answer pauses the budget for as long as the answer took.
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
#include <string_view>

#include "common/rate_limiter.h"
#include "common/tenants.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors {

struct ThrottleOptions {
  std::chrono::milliseconds max_inline_wait{1000};
  // Optional second budget of the tenant that must also allow the call (e.g. a backfill's
  // share of the tenant's budget): its name and limit. Empty name = none.
  std::string extra_bucket;
  RateLimit extra_limit{};
  // Called with the seconds spent waiting inline (for a throttled-seconds metric); may be empty.
  std::function<void(double)> on_wait;
  // Called when an answer was slow enough to pause the tenant (ConnectorBudgets::slow_answer).
  std::function<void()> on_slow_answer;
};

// Why a call was throttled (RateLimitedPsaHttp::throttle_reason): the shared limiter's budgets,
// the PSA's own 429, or no limiter to ask.
inline constexpr std::string_view kRateLimitReason = "rate_limit";           // the tenant's budget
inline constexpr std::string_view kBackfillShareReason = "backfill_share";   // the extra budget
inline constexpr std::string_view kEndpointBudgetReason = "endpoint_budget";
inline constexpr std::string_view kEgressBudgetReason = "egress_budget";
inline constexpr std::string_view kPsaThrottledReason = "psa_throttled";      // a 429, or a slow answer
inline constexpr std::string_view kLimiterUnavailableReason = "limiter_unavailable";

// True for a refusal by one of the limiter's budgets. After a PSA's 429 the limiter holds the
// PSA's Retry-After for every replica, so such a refusal may only echo a pause named elsewhere.
bool is_budget_refusal(std::string_view reason);

class RateLimitedPsaHttp : public PsaHttp {
 public:
  // `budgets` are the tenant's connector's (spec().budgets); they must outlive this object.
  RateLimitedPsaHttp(PsaHttp& inner, RateLimiter& limiter, const Tenant& tenant, const ConnectorBudgets& budgets,
                     const std::atomic<bool>& stop, ThrottleOptions options = {});

  // Errors: "throttled" (see throttled_until), "shutting_down" (stop was set while waiting).
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;

  // Set once a call was refused by the limiter for longer than max_inline_wait, answered 429
  // by the PSA, or the limiter was unreachable: the tenant should not be called before then.
  std::optional<std::chrono::steady_clock::time_point> throttled_until() const { return throttled_until_; }
  // Why: one of the reasons above. Empty when not throttled.
  const std::string& throttle_reason() const { return throttle_reason_; }

 private:
  Result<http::ClientResponse> throttle(std::chrono::milliseconds wait, std::string reason);
  // Allowed by every budget now, or the wait the refusing one asks for (and why).
  struct Refusal {
    std::chrono::milliseconds wait{0};
    std::string reason;
  };
  Result<std::optional<Refusal>> acquire(const std::string& family);
  // Where a 429 is recorded: the budget the PSA counts by.
  Status pause_counted(const std::string& family, std::chrono::milliseconds pause);
  std::string egress_scope() const;

  PsaHttp& inner_;
  RateLimiter& limiter_;
  const Tenant& tenant_;
  const ConnectorBudgets& budgets_;
  const std::atomic<bool>& stop_;
  ThrottleOptions options_;
  std::optional<std::chrono::steady_clock::time_point> throttled_until_;
  std::string throttle_reason_;
};

// The tenant's configured limit as the limiter takes it.
RateLimit tenant_rate_limit(const Tenant& tenant);
// A ConnectorBudgets limit as the limiter takes it.
RateLimit rate_limit_of(const RateLimitConfig& config);

}  // namespace switchyard::connectors
