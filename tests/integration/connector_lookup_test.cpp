// The set-up lists (Connector::lookup) of ConnectWise and Autotask against the sandbox over real
// HTTP: each list from the PSA's own endpoint, every page read, inactive entries marked, filters
// by board and company sent as the PSA expects, lists the PSA keeps per board refused without
// one, and lists a PSA lacks answered not_supported.
#include <gtest/gtest.h>

#include <algorithm>

#include "connectors/lookup_list.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors {
namespace {

using testing::RecordingHttp;

const LookupItem* find(const std::vector<LookupItem>& items, std::string_view name) {
  const auto it = std::ranges::find_if(items, [&](const LookupItem& i) { return i.name == name; });
  return it == items.end() ? nullptr : &*it;
}

class LookupTest : public ::testing::Test {
 protected:
  LookupTest() { sandbox_.start(); }
  ~LookupTest() override { sandbox_.stop(); }

  std::vector<LookupItem> read(const Tenant& tenant, LookupQuery query) {
    auto r = builtin_registry().find(tenant.psa)->lookup(tenant, http_, query);
    EXPECT_TRUE(r.ok()) << query.list << ": " << r.error().message;
    return r.ok() ? *r : std::vector<LookupItem>{};
  }
  Error error_of(const Tenant& tenant, LookupQuery query) {
    auto r = builtin_registry().find(tenant.psa)->lookup(tenant, http_, query);
    EXPECT_FALSE(r.ok()) << query.list;
    return r.ok() ? Error{} : r.error();
  }

  sandbox::Sandbox sandbox_;
  RecordingHttp http_;
};

TEST_F(LookupTest, ConnectWiseBoardsStatusesTypesAndPriorities) {
  const Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  const auto boards = read(t, {"boards"});
  ASSERT_EQ(boards.size(), 2u);
  EXPECT_EQ(boards[0].id, "1");
  EXPECT_EQ(boards[0].name, "Service Board");
  EXPECT_NE(http_.requests.back().url.find("/service/boards?page=1&pageSize=200"), std::string::npos);

  const auto statuses = read(t, {"statuses", "1"});
  EXPECT_EQ(statuses.size(), 7u);
  ASSERT_NE(find(statuses, "Completed"), nullptr);
  EXPECT_NE(http_.requests.back().url.find("/service/boards/1/statuses?"), std::string::npos);

  const auto types = read(t, {"ticket_types", "1"});
  ASSERT_EQ(types.size(), 3u);
  ASSERT_NE(find(types, "Legacy Request"), nullptr);
  EXPECT_FALSE(find(types, "Legacy Request")->active);
  EXPECT_TRUE(find(types, "Incident")->active);
  EXPECT_EQ(read(t, {"ticket_types", "2"}).size(), 1u);

  const auto priorities = read(t, {"priorities"});
  EXPECT_EQ(priorities.size(), 5u);
  EXPECT_EQ(priorities.front().name, "Priority 1 - Emergency Response");
  // Every call carried ConnectWise's headers.
  for (const auto& r : http_.requests) EXPECT_FALSE(http::find_header(r.headers, "clientId").empty());
}

TEST_F(LookupTest, ConnectWiseKeepsStatusesPerBoard) {
  const Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  EXPECT_EQ(error_of(t, {"statuses"}).code, kLookupNeedsBoard);
  EXPECT_EQ(error_of(t, {"ticket_types"}).code, kLookupNeedsBoard);
  EXPECT_TRUE(http_.requests.empty());
  EXPECT_EQ(error_of(t, {"statuses", "99"}).code, "psa_error");  // ConnectWise: 404 for a board it lacks
}

TEST_F(LookupTest, ConnectWiseAgreementsOfACompany) {
  const Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  sandbox_.upsert_record("connectwise", "agreements",
                         R"({"name":"Globex Backup","type":{"id":1,"name":"Managed Services"},
                             "company":{"id":2,"identifier":"Globex","name":"Globex Corporation"},
                             "agreementStatus":"Cancelled","cancelledFlag":true})");
  const auto all = read(t, {"agreements"});
  EXPECT_EQ(all.size(), 2u);
  const auto globex = read(t, {"agreements", "", "2"});
  ASSERT_EQ(globex.size(), 1u);
  EXPECT_EQ(globex[0].name, "Globex Backup");
  EXPECT_FALSE(globex[0].active);
  EXPECT_NE(http_.requests.back().url.find("conditions=company%2Fid%3D2"), std::string::npos) << http_.requests.back().url;
  const auto acme = read(t, {"agreements", "", "1"});
  ASSERT_EQ(acme.size(), 1u);
  EXPECT_TRUE(acme[0].active);
  EXPECT_EQ(error_of(t, {"agreements", "", "x' or 1=1"}).code, "invalid_filter");
}

TEST_F(LookupTest, ConnectWiseProductsReadEveryPageUpToTheCap) {
  const Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  auto products = read(t, {"products"});
  ASSERT_EQ(products.size(), 3u);
  EXPECT_EQ(products[0].name, "Antivirus seat");
  EXPECT_FALSE(find(products, "Retired plan")->active);

  // 447 more: 450 in all, three pages of 200.
  for (int i = 0; i < 447; ++i) {
    sandbox_.upsert_record("connectwise", "catalog",
                           R"({"identifier":"P-)" + std::to_string(i) + R"(","description":"Product )" +
                               std::to_string(i) + R"(","inactiveFlag":false})");
  }
  http_.requests.clear();
  products = read(t, {"products"});
  EXPECT_EQ(products.size(), 450u);
  EXPECT_EQ(http_.requests.size(), 3u);
  // Past the cap: one more than kLookupCap, then no further page.
  for (int i = 447; i < 1100; ++i) {
    sandbox_.upsert_record("connectwise", "catalog", R"({"identifier":"P-)" + std::to_string(i) + R"(","description":"x"})");
  }
  http_.requests.clear();
  products = read(t, {"products"});
  EXPECT_GT(products.size(), kLookupCap);
  EXPECT_LE(products.size(), kLookupCap + 200);
  EXPECT_EQ(http_.requests.size(), 6u);
}

TEST_F(LookupTest, ConnectWiseAnswersThrottledOnA429) {
  const Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  sandbox_.inject_fault("connectwise", {.status = 429, .retry_after_seconds = 2, .count = 1});
  EXPECT_EQ(error_of(t, {"boards"}).code, "throttled");
  EXPECT_EQ(read(t, {"boards"}).size(), 2u);
}

TEST_F(LookupTest, ConnectWiseRefusedKeys) {
  Tenant t = testing::connectwise_sandbox_tenant(sandbox_);
  t.credentials["private_key"] = "WRONG-private-key-zz9";
  EXPECT_EQ(error_of(t, {"boards"}).code, "credentials_refused");
}

TEST_F(LookupTest, AutotaskQueuesStatusesPrioritiesAndTypesArePicklists) {
  const Tenant t = testing::autotask_sandbox_tenant(sandbox_);
  const auto queues = read(t, {"boards"});
  ASSERT_EQ(queues.size(), 4u);
  ASSERT_NE(find(queues, "Monitoring Alert"), nullptr);
  EXPECT_EQ(find(queues, "Monitoring Alert")->id, "29682833");
  EXPECT_NE(http_.requests.back().url.find("/V1.0/Tickets/entityInformation/fields"), std::string::npos);
  EXPECT_EQ(find(read(t, {"statuses"}), "Complete")->id, "5");
  EXPECT_EQ(read(t, {"priorities"}).size(), 4u);
  EXPECT_EQ(find(read(t, {"ticket_types"}), "Incident")->id, "2");
  // Autotask's statuses are the instance's, whatever the queue.
  EXPECT_EQ(read(t, {"statuses", "5"}).size(), read(t, {"statuses"}).size());
}

TEST_F(LookupTest, AutotaskContractsOfACompanyAndProducts) {
  const Tenant t = testing::autotask_sandbox_tenant(sandbox_);
  sandbox_.upsert_record("autotask", "Contracts",
                         R"({"contractName":"Acme Block Hours 2023","contractType":4,"companyID":100,"status":0,
                             "startDate":"2023-01-01T00:00:00.000Z","endDate":"2023-12-31T00:00:00.000Z"})");
  sandbox_.upsert_record("autotask", "Contracts",
                         R"({"contractName":"Other company's","contractType":4,"companyID":101,"status":1,
                             "startDate":"2023-01-01T00:00:00.000Z","endDate":"2099-12-31T00:00:00.000Z"})");
  const auto contracts = read(t, {"agreements", "", "100"});
  ASSERT_EQ(contracts.size(), 2u);
  EXPECT_TRUE(find(contracts, "Acme Managed Services")->active);
  EXPECT_FALSE(find(contracts, "Acme Block Hours 2023")->active);
  EXPECT_EQ(http_.requests.back().method, "POST");
  EXPECT_NE(http_.requests.back().body.find(R"("field":"companyID","value":100)"), std::string::npos)
      << http_.requests.back().body;
  EXPECT_EQ(read(t, {"agreements"}).size(), 3u);

  const auto products = read(t, {"products"});
  ASSERT_EQ(products.size(), 3u);
  EXPECT_FALSE(find(products, "Legacy antivirus")->active);
  EXPECT_EQ(find(products, "Cloud backup")->id, "701");
}

TEST_F(LookupTest, AutotaskProductsFollowNextPageUrl) {
  const Tenant t = testing::autotask_sandbox_tenant(sandbox_);
  for (int i = 0; i < 600; ++i) {
    sandbox_.upsert_record("autotask", "Products",
                           R"({"name":"Product )" + std::to_string(i) + R"(","isActive":true,"productBillingCodeID":29682801})");
  }
  const auto products = read(t, {"products"});
  EXPECT_EQ(products.size(), 603u);
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[1].method, "GET");  // the nextPageUrl
}

TEST_F(LookupTest, ListsAPsaLacksAreNotSupported) {
  const Tenant t = testing::autotask_sandbox_tenant(sandbox_);
  EXPECT_EQ(error_of(t, {"teams"}).code, kNotSupported);
}

TEST(LookupListTest, NamesAliasesAndIds) {
  EXPECT_EQ(canonical_lookup_list("queues"), "boards");
  EXPECT_EQ(canonical_lookup_list("contracts"), "agreements");
  EXPECT_EQ(canonical_lookup_list("ticket_types"), "ticket_types");
  EXPECT_FALSE(canonical_lookup_list("Boards"));
  EXPECT_FALSE(canonical_lookup_list(""));
  EXPECT_TRUE(valid_lookup_id("29682833"));
  EXPECT_TRUE(valid_lookup_id("a-b_C"));
  EXPECT_FALSE(valid_lookup_id(""));
  EXPECT_FALSE(valid_lookup_id(std::string(65, '1')));
  EXPECT_FALSE(valid_lookup_id("1 or 1=1"));
  EXPECT_FALSE(valid_lookup_id("1:2"));
}

}  // namespace
}  // namespace switchyard::connectors
