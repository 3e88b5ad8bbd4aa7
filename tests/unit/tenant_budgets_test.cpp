// Per-PSA budgets and page sizes in the tenants file: a tenant's rate limit defaults from its
// connector's ConnectorBudgets (its share of a budget the PSA counts across integrations), a
// share or an egress is validated, a page size is bounded by what the PSA serves, and entities
// that neither arrive by webhook nor are polled are noted for a warning. Also endpoint_family().
#include <gtest/gtest.h>

#include <map>

#include "common/tenants.h"
#include "connectors/endpoint_family.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

// Two made-up PSAs, so every kind of budget is covered whatever the built-in connectors declare.
ConnectorSpec shared_budget_psa() {
  ConnectorSpec spec;
  spec.pollable_entities = {"ticket", "company", "agreement"};
  spec.webhook_entities = {"ticket", "company"};
  spec.budgets.tenant_default = {.requests_per_second = 5, .burst = 7};
  spec.budgets.shared_budget = RateLimitConfig{.requests_per_second = 4, .burst = 10};
  spec.budgets.default_share = 0.5;
  spec.page_sizes = {.preferred = 50, .max = 200};
  return spec;
}

ConnectorSpec per_address_psa() {
  ConnectorSpec spec;
  spec.pollable_entities = {"ticket"};
  spec.budgets.tenant_default = {.requests_per_second = 3, .burst = 3};
  spec.budgets.per_egress = RateLimitConfig{.requests_per_second = 3, .burst = 3};
  return spec;
}

Result<TenantDirectory> parse(const std::string& psa, const std::string& extra) {
  static const std::map<std::string, ConnectorSpec, std::less<>> kSpecs = {{"shared", shared_budget_psa()},
                                                                           {"perip", per_address_psa()}};
  const ConnectorSpecLookup lookup = [](std::string_view name) -> const ConnectorSpec* {
    auto it = kSpecs.find(name);
    return it == kSpecs.end() ? nullptr : &it->second;
  };
  const std::string json = R"({"tenants": [{"id": "t1", "psa": ")" + psa +
                           R"(", "base_url": "https://psa.example/api")" + extra + "}]}";
  return parse_tenants(json, lookup, testing::env_of({}));
}

// A copy: the directory is a temporary of the caller's expression.
Tenant only(const Result<TenantDirectory>& r) {
  if (!r) throw std::runtime_error(r.error().message);
  return r->all().front();
}

void expect_error(const Result<TenantDirectory>& r, const std::string& field) {
  ASSERT_FALSE(r.ok()) << "expected an error naming " << field;
  EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
}

TEST(TenantBudgetsTest, DefaultIsTheConnectorsShareOfTheSharedBudget) {
  const Tenant t = only(parse("shared", ""));
  EXPECT_DOUBLE_EQ(t.rate_limit.requests_per_second, 2.0);  // 4 × 0.5
  EXPECT_DOUBLE_EQ(t.rate_limit.share, 0.5);
  EXPECT_EQ(t.rate_limit.burst, 7);
}

TEST(TenantBudgetsTest, ATenantSetsItsOwnShareOrItsOwnRate) {
  const Tenant quarter = only(parse("shared", R"(, "rate_limit": {"share": 0.25, "burst": 2})"));
  EXPECT_DOUBLE_EQ(quarter.rate_limit.requests_per_second, 1.0);
  EXPECT_DOUBLE_EQ(quarter.rate_limit.share, 0.25);
  EXPECT_EQ(quarter.rate_limit.burst, 2);

  const Tenant own = only(parse("shared", R"(, "rate_limit": {"requests_per_second": 0.3})"));
  EXPECT_DOUBLE_EQ(own.rate_limit.requests_per_second, 0.3);
  EXPECT_DOUBLE_EQ(own.rate_limit.share, 0);  // no longer a share
}

TEST(TenantBudgetsTest, ShareIsValidated) {
  expect_error(parse("shared", R"(, "rate_limit": {"share": 0})"), "tenants[0].rate_limit.share");
  expect_error(parse("shared", R"(, "rate_limit": {"share": 1.5})"), "tenants[0].rate_limit.share");
  expect_error(parse("shared", R"(, "rate_limit": {"share": 0.5, "requests_per_second": 1})"),
               "tenants[0].rate_limit.share");
  // A PSA without a shared budget has nothing to take a share of.
  expect_error(parse("perip", R"(, "rate_limit": {"share": 0.5})"), "tenants[0].rate_limit.share");
}

TEST(TenantBudgetsTest, ConnectorDefaultWithoutASharedBudget) {
  const Tenant t = only(parse("perip", ""));
  EXPECT_DOUBLE_EQ(t.rate_limit.requests_per_second, 3);
  EXPECT_EQ(t.rate_limit.burst, 3);
  EXPECT_DOUBLE_EQ(t.rate_limit.share, 0);
}

TEST(TenantBudgetsTest, EgressNamesAreValidated) {
  EXPECT_EQ(only(parse("perip", "")).egress, "default");
  EXPECT_EQ(only(parse("perip", R"(, "egress": "nat-eu-1.a")")).egress, "nat-eu-1.a");
  expect_error(parse("perip", R"(, "egress": "")"), "tenants[0].egress");
  expect_error(parse("perip", R"(, "egress": "NAT:1")"), "tenants[0].egress");
  expect_error(parse("perip", R"(, "egress": ")" + std::string(65, 'a') + "\""), "tenants[0].egress");
}

TEST(TenantBudgetsTest, PageSizeIsBoundedByWhatThePsaServes) {
  EXPECT_EQ(only(parse("shared", R"(, "poll": {"page_size": 200})")).poll.page_size, 200);
  EXPECT_EQ(only(parse("shared", "")).poll.page_size, 0);  // the connector's preferred page
  expect_error(parse("shared", R"(, "poll": {"page_size": 201})"), "tenants[0].poll.page_size");
  expect_error(parse("shared", R"(, "poll": {"page_size": 0})"), "tenants[0].poll.page_size");
}

TEST(TenantBudgetsTest, EntitiesNoWebhookReportsAndNobodyPollsAreNoted) {
  // Not polling: the agreement, which has no webhook, would change unseen.
  EXPECT_EQ(only(parse("shared", "")).unseen_entities, (std::vector<std::string>{"agreement"}));
  EXPECT_EQ(only(parse("shared", R"(, "poll": {"entities": ["ticket"]})")).unseen_entities,
            (std::vector<std::string>{"agreement"}));
  EXPECT_TRUE(only(parse("shared", R"(, "poll": {"entities": ["agreement"]})")).unseen_entities.empty());
  // Polling every pollable entity (the default list) leaves nothing unseen.
  EXPECT_TRUE(only(parse("shared", R"(, "poll": {"enabled": true})")).unseen_entities.empty());
  // Polls that are switched off see nothing.
  EXPECT_EQ(only(parse("shared", R"(, "poll": {"enabled": false, "entities": ["agreement"]})")).unseen_entities,
            (std::vector<std::string>{"agreement"}));
}

TEST(EndpointFamilyTest, IdsAreLeftOutAndTheBaseUrlAndQueryDropped) {
  using connectors::endpoint_family;
  const std::string base = "https://bms.example/api";
  EXPECT_EQ(endpoint_family(base, base + "/v2/servicedesk/tickets?PageNumber=2"), "v2/servicedesk/tickets");
  EXPECT_EQ(endpoint_family(base, base + "/v2/servicedesk/tickets/4711/notes"), "v2/servicedesk/tickets/{id}/notes");
  EXPECT_EQ(endpoint_family(base, base + "/v2/servicedesk/tickets/4712/notes"),
            endpoint_family(base, base + "/v2/servicedesk/tickets/9/notes"));
  EXPECT_EQ(endpoint_family(base, base + "/v2/crm/accounts/3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            "v2/crm/accounts/{id}");
  EXPECT_EQ(endpoint_family(base, base), "/");
  // A URL outside the base URL (a pagination link to another host) still gets its path.
  EXPECT_EQ(endpoint_family(base, "https://other.example/x/v2/crm/accounts/12"), "x/v2/crm/accounts/{id}");
  EXPECT_NE(endpoint_family(base, base + "/v2/crm/accounts"), endpoint_family(base, base + "/v2/crm/contacts"));
  // Bounded, whatever the URL.
  EXPECT_LE(endpoint_family(base, base + "/" + std::string(5000, 'a')).size(), 160u);
}

}  // namespace
}  // namespace switchyard
