// The set-up lists (Connector::lookup) of HaloPSA, Kaseya BMS, Pulseway PSA and Syncro against
// the sandbox over real HTTP, each with a token as the engines get one: every list the PSA has
// from its own endpoint (paged ones read page by page), inactive entries marked, contracts of
// one company, and the lists a PSA lacks answered not_supported.
#include <gtest/gtest.h>

#include <algorithm>

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

// Adds the tenant's bearer token (issued once by the connector's token source) to each call.
class BearerHttp : public PsaHttp {
 public:
  explicit BearerHttp(RecordingHttp& inner) : inner_(inner) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest with = request;
    if (!token.empty()) with.headers.emplace_back("Authorization", "Bearer " + token);
    return inner_.send(with);
  }
  std::string token;

 private:
  RecordingHttp& inner_;
};

class LookupMoreTest : public ::testing::Test {
 protected:
  LookupMoreTest() { sandbox_.start(); }
  ~LookupMoreTest() override { sandbox_.stop(); }

  Tenant tenant(const std::string& psa) {
    Tenant t;
    t.id = "acme";
    t.psa = psa;
    t.base_url = sandbox_.psa_base_url(psa);
    t.allow_insecure_http = true;
    if (psa == "halopsa") t.credentials = {{"client_id", "halo-sandbox-client"}, {"client_secret", "halo-sandbox-client-secret"}};
    if (psa == "kaseya_bms") {
      t.credentials = {{"username", "bms-api@acme-msp.example"}, {"password", "bms-sandbox-password"}, {"company", "acme-msp"}};
    }
    if (psa == "pulseway") {
      t.credentials = {{"username", "pulseway-api@acme-msp.example"}, {"password", "pulseway-sandbox-password"},
                       {"company", "acme-msp"}};
    }
    if (psa == "syncro") t.credentials = {{"api_token", std::string(kSyncroToken)}};
    const Connector& c = *builtin_registry().find(psa);
    if (c.token_source() != nullptr) {
      auto issued = c.token_source()->issue(t, raw_, "");
      EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
      if (issued.ok()) http_.token = issued->access_token;
    }
    return t;
  }
  std::vector<LookupItem> read(const Tenant& t, LookupQuery query) {
    raw_.requests.clear();
    auto r = builtin_registry().find(t.psa)->lookup(t, http_, query);
    EXPECT_TRUE(r.ok()) << t.psa << " " << query.list << ": " << r.error().message;
    return r.ok() ? *r : std::vector<LookupItem>{};
  }
  std::string error_of(const Tenant& t, LookupQuery query) {
    auto r = builtin_registry().find(t.psa)->lookup(t, http_, query);
    EXPECT_FALSE(r.ok()) << t.psa << " " << query.list;
    return r.ok() ? "" : r.error().code;
  }

  static constexpr std::string_view kSyncroToken = "syncro-sandbox-api-token";
  sandbox::Sandbox sandbox_;
  RecordingHttp raw_;
  BearerHttp http_{raw_};
};

TEST_F(LookupMoreTest, HaloPsaTeamsStatusesPrioritiesTypesContractsAndItems) {
  const Tenant t = tenant("halopsa");
  const auto teams = read(t, {"boards"});
  ASSERT_EQ(teams.size(), 3u);
  EXPECT_FALSE(find(teams, "Old Team")->active);
  EXPECT_NE(raw_.requests.back().url.find("/api/Team"), std::string::npos);
  EXPECT_EQ(find(read(t, {"statuses"}), "Closed")->id, "9");
  const auto priorities = read(t, {"priorities"});
  ASSERT_EQ(priorities.size(), 4u);
  EXPECT_EQ(find(priorities, "High")->id, "2");  // the priorityid tickets carry, not the policy's id
  EXPECT_EQ(find(read(t, {"ticket_types"}), "Alert")->id, "21");

  const auto contracts = read(t, {"agreements", "", "1"});
  ASSERT_FALSE(contracts.empty());
  EXPECT_NE(raw_.requests.back().url.find("ClientContract?client_id=1&pageinate=true&page_size=200&page_no=1"),
            std::string::npos)
      << raw_.requests.back().url;
  EXPECT_TRUE(read(t, {"agreements", "", "2"}).empty());

  for (int i = 0; i < 250; ++i) {
    sandbox_.upsert_record("halopsa", "Item", R"({"name":"Item )" + std::to_string(i) + R"("})");
  }
  const auto items = read(t, {"products"});
  EXPECT_EQ(items.size(), 252u);
  EXPECT_EQ(raw_.requests.size(), 2u);  // two pages of 200
  ASSERT_NE(find(items, "Cloud backup"), nullptr);
}

TEST_F(LookupMoreTest, KaseyaBmsAndPulsewayLookupTables) {
  for (const std::string psa : {"kaseya_bms", "pulseway"}) {
    const Tenant t = tenant(psa);
    const auto queues = read(t, {"boards"});
    ASSERT_EQ(queues.size(), 3u) << psa;
    EXPECT_FALSE(find(queues, "Old Queue")->active);
    EXPECT_NE(raw_.requests.back().url.find("/v2/system/queues/lookup"), std::string::npos);
    EXPECT_EQ(find(read(t, {"statuses"}), "Completed")->id, "5");
    EXPECT_EQ(read(t, {"priorities"}).size(), 4u);
    EXPECT_EQ(find(read(t, {"ticket_types"}), "Network")->id, "3");
    const auto contracts = read(t, {"agreements", "", "1"});
    ASSERT_EQ(contracts.size(), 1u) << psa;
    EXPECT_EQ(contracts[0].name, "Acme Managed Services");
    EXPECT_NE(raw_.requests.back().url.find("/v2/finance/contracts/lookup?AccountId=1"), std::string::npos);
    EXPECT_TRUE(read(t, {"agreements", "", "2"}).empty());
    const auto services = read(t, {"products"});
    EXPECT_EQ(services.size(), 3u);
    EXPECT_NE(raw_.requests.back().url.find("PageSize=200&PageNumber=1"), std::string::npos);
  }
}

TEST_F(LookupMoreTest, SyncroStatusesTypesPrioritiesContractsAndProducts) {
  const Tenant t = tenant("syncro");
  const auto statuses = read(t, {"statuses"});
  ASSERT_EQ(statuses.size(), 8u);
  EXPECT_EQ(find(statuses, "Resolved")->id, "Resolved");  // Syncro's statuses are their names
  EXPECT_EQ(find(read(t, {"ticket_types"}), "Onsite")->id, "2");
  const auto priorities = read(t, {"priorities"});
  EXPECT_EQ(priorities.size(), 4u);  // the blank one left out
  EXPECT_EQ(error_of(t, {"boards"}), kNotSupported);

  EXPECT_EQ(read(t, {"agreements", "", "1"}).size(), 1u);
  EXPECT_TRUE(read(t, {"agreements", "", "2"}).empty());
  for (int i = 0; i < 30; ++i) {
    sandbox_.upsert_record("syncro", "products", R"({"name":"P)" + std::to_string(i) + R"(","disabled":false})");
  }
  const auto products = read(t, {"products"});
  EXPECT_EQ(products.size(), 32u);
  EXPECT_EQ(raw_.requests.size(), 2u);  // 25 a page
  EXPECT_FALSE(find(products, "Old antivirus")->active);
}

}  // namespace
}  // namespace switchyard::connectors
