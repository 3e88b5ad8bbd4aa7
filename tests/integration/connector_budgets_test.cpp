// The budgets a connector declares (ConnectorBudgets), spent through RateLimitedPsaHttp against a
// real redis-server: endpoint families each have their own budget, tenants behind one egress
// share its budget, a refusal spends nothing, and a PSA's 429 pauses the budget the PSA counts by.
#include <gtest/gtest.h>

#include <thread>

#include "common/rate_limiter.h"
#include "connectors/rate_limited_psa_http.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/redis_server.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

// Answers every call with `status` (Retry-After 5 on a 429) and counts the calls.
class AnsweringPsa : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest&) override {
    ++calls;
    http::Headers headers;
    if (status == 429) headers.emplace_back("Retry-After", "5");
    return http::ClientResponse{status, headers, "{}"};
  }
  int status = 200;
  int calls = 0;
};

Tenant tenant(const std::string& id, const std::string& egress = "default", int burst = 100) {
  Tenant t;
  t.id = id;
  t.psa = "metered";
  t.base_url = "https://psa.example/api";
  t.egress = egress;
  t.rate_limit = {.requests_per_second = 0.01, .burst = burst};
  return t;
}

class ConnectorBudgetsTest : public ::testing::Test {
 protected:
  // One call to `path`; "" when it went through, else the throttle reason.
  std::string call(const Tenant& t, const ConnectorBudgets& budgets, const std::string& path,
                   connectors::ThrottleOptions options = {}) {
    options.max_inline_wait = 0ms;  // every refusal shows, none is waited out
    connectors::RateLimitedPsaHttp http(psa, limiter, t, budgets, stop, options);
    auto r = http.send(http::ClientRequest{.method = "GET", .url = t.base_url + path});
    if (r && r->status < 300) return "";
    return http.throttle_reason().empty() ? "error" : http.throttle_reason();
  }

  RedisServer server;
  RedisClient redis{server.settings()};
  RateLimiter limiter{redis};
  AnsweringPsa psa;
  std::atomic<bool> stop{false};
};

TEST_F(ConnectorBudgetsTest, EachEndpointFamilyHasItsOwnBudgetAndARefusalSpendsNothing) {
  ConnectorBudgets budgets;
  budgets.per_endpoint_family = RateLimitConfig{.requests_per_second = 0.01, .burst = 2};
  const Tenant t = tenant("acme", "default", 4);
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets"), "");
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets/17"), "");  // one ticket: another endpoint
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets?PageNumber=2"), "");
  // The tickets list has spent its two; its refusal must not spend the tenant's fourth request.
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets?PageNumber=3"), "endpoint_budget");
  EXPECT_EQ(psa.calls, 3);
  EXPECT_EQ(call(t, budgets, "/v2/crm/accounts"), "");
  // Now the tenant's own budget (4) is spent, whatever the endpoint.
  EXPECT_EQ(call(t, budgets, "/v2/crm/contacts"), "rate_limit");
}

TEST_F(ConnectorBudgetsTest, TenantsBehindOneEgressShareItsBudget) {
  ConnectorBudgets budgets;
  budgets.per_egress = RateLimitConfig{.requests_per_second = 0.01, .burst = 2};
  const Tenant a = tenant("a", "nat-1"), b = tenant("b", "nat-1"), c = tenant("c", "nat-2");
  EXPECT_EQ(call(a, budgets, "/tickets"), "");
  EXPECT_EQ(call(b, budgets, "/tickets"), "");
  EXPECT_EQ(call(a, budgets, "/tickets"), "egress_budget");
  EXPECT_EQ(call(b, budgets, "/customers"), "egress_budget");
  EXPECT_EQ(call(c, budgets, "/tickets"), "");  // another egress, another budget
}

TEST_F(ConnectorBudgetsTest, A429PausesTheEgressForEveryTenantBehindIt) {
  ConnectorBudgets budgets;
  budgets.per_egress = RateLimitConfig{.requests_per_second = 100, .burst = 100};
  const Tenant a = tenant("a", "nat-1"), b = tenant("b", "nat-1"), c = tenant("c", "nat-2");
  psa.status = 429;
  EXPECT_EQ(call(a, budgets, "/tickets"), "psa_throttled");
  psa.status = 200;
  EXPECT_EQ(call(b, budgets, "/tickets"), "egress_budget");  // paused by a's 429
  EXPECT_EQ(call(c, budgets, "/tickets"), "");
  EXPECT_EQ(psa.calls, 2);
}

TEST_F(ConnectorBudgetsTest, A429PausesOnlyItsEndpointFamilyWhereThePsaCountsPerEndpoint) {
  ConnectorBudgets budgets;
  budgets.per_endpoint_family = RateLimitConfig{.requests_per_second = 100, .burst = 100};
  const Tenant t = tenant("acme");
  psa.status = 429;
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets"), "psa_throttled");
  psa.status = 200;
  EXPECT_EQ(call(t, budgets, "/v2/servicedesk/tickets"), "endpoint_budget");
  EXPECT_EQ(call(t, budgets, "/v2/crm/accounts"), "");
}

TEST_F(ConnectorBudgetsTest, A429PausesTheWholeTenantOtherwise) {
  const ConnectorBudgets budgets;
  const Tenant t = tenant("acme"), other = tenant("globex");
  psa.status = 429;
  EXPECT_EQ(call(t, budgets, "/tickets"), "psa_throttled");
  psa.status = 200;
  EXPECT_EQ(call(t, budgets, "/companies"), "rate_limit");
  EXPECT_EQ(call(other, budgets, "/tickets"), "");
}

TEST_F(ConnectorBudgetsTest, TheExtraBudgetIsNamedWhenItRefuses) {
  const ConnectorBudgets budgets;
  const Tenant t = tenant("acme");
  connectors::ThrottleOptions backfill;
  backfill.extra_bucket = "backfill";
  backfill.extra_limit = RateLimit{0.01, 1};
  EXPECT_EQ(call(t, budgets, "/tickets", backfill), "");
  EXPECT_EQ(call(t, budgets, "/tickets", backfill), "backfill_share");
  EXPECT_EQ(call(t, budgets, "/tickets"), "");  // live calls still have the tenant's budget
}

// Autotask slows its answers as a database nears its hourly threshold (the sandbox imitates it):
// one slow answer pauses the tenant on every replica, so the next call, from anywhere, waits.
TEST_F(ConnectorBudgetsTest, AnAnswerSlowedNearTheHourlyThresholdPausesTheTenantEverywhere) {
  sandbox::Sandbox box;
  box.start();
  Tenant t = autotask_sandbox_tenant(box);
  t.rate_limit = {.requests_per_second = 100, .burst = 100};
  sandbox::Quota quota;
  quota.requests_per_hour = 20;
  quota.slow_from_half = 1100ms;  // from the 10th request of the hour
  quota.slow_from_three_quarters = 1100ms;
  box.set_tenant_quota("default", quota);
  const ConnectorBudgets& budgets = connectors::builtin_registry().find("autotask")->spec().budgets;
  ASSERT_TRUE(budgets.slow_answer.has_value());
  RecordingHttp wire;
  int slow_answers = 0;
  const auto call = [&] {
    connectors::ThrottleOptions options;
    options.max_inline_wait = 0ms;
    options.on_slow_answer = [&] { ++slow_answers; };
    connectors::RateLimitedPsaHttp replica(wire, limiter, t, budgets, stop, options);
    const auto started = std::chrono::steady_clock::now();
    auto r = replica.send(http::ClientRequest{.method = "GET",
                                              .url = t.base_url + "/V1.0/ThresholdInformation",
                                              .headers = {{"ApiIntegrationCode", t.credentials.at("integration_code")},
                                                          {"UserName", t.credentials.at("username")},
                                                          {"Secret", t.credentials.at("secret")}}});
    struct {
      std::string reason;
      std::chrono::milliseconds took;
    } out{r && r->status == 200 ? "" : replica.throttle_reason(),
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)};
    return out;
  };
  for (int i = 1; i <= 9; ++i) {
    const auto quick = call();
    ASSERT_EQ(quick.reason, "") << "call " << i;
    EXPECT_LT(quick.took, 1000ms) << "call " << i;
  }
  EXPECT_EQ(slow_answers, 0);
  const auto slowed = call();  // half the hour's budget: Autotask adds its latency
  EXPECT_EQ(slowed.reason, "");
  EXPECT_GE(slowed.took, 1100ms);
  EXPECT_EQ(slow_answers, 1);
  // Another replica, at once: the tenant is paused for as long as that answer took.
  EXPECT_EQ(call().reason, "rate_limit");
  EXPECT_EQ(wire.requests.size(), 10u) << "the paused call never reached Autotask";
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(call().reason, "") << "the pause ends";
  box.stop();
}

}  // namespace
}  // namespace switchyard::testing
