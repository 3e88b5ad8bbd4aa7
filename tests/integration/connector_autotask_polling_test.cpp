// Autotask polling of contacts, configuration items and contracts against the sandbox over real
// HTTP (docs/psa/autotask.md#5-polling): each entity filters on its own change stamp, pages follow
// nextPageUrl and resume at the cursor, every record is read once, and a contract comes with its
// services and their units in force, which give the agreement its recurring value and vendor.
// Labels read from entityInformation/fields turn picklist ids into names.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <thread>

#include "common/envelope.h"
#include "common/http_client.h"
#include "common/time_format.h"
#include "connectors/autotask/zone.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

class RecordingPsa : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);
    bodies.push_back(request.body);
    urls.push_back(request.url);
    return client_.send(timed);
  }
  std::vector<std::string> bodies, urls;

 private:
  http::HttpClient client_;
};

class AutotaskPollingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connectors::autotask::forget_zones();
    psa_.start();
    tenant_.id = "polling";
    tenant_.psa = "autotask";
    tenant_.base_url = psa_.autotask_base_url();
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"username", "api@switchyard.test"}, {"secret", "demo-secret"},
                           {"integration_code", "DEMOINTEGRATIONCODE"}};
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("autotask"); }

  // Every change of a delta (a backfill when `since` is empty), one page per call of `page_size`.
  std::vector<connectors::Change> read_all(const std::string& entity, const std::string& since, int page_size,
                                           RecordingPsa& http, int& calls) {
    std::vector<connectors::Change> out;
    connectors::PollRequest request{entity, since, "", 1, page_size};
    for (calls = 1; calls <= 20; ++calls) {
      auto r = connector().poll(tenant_, http, request);
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r.ok()) break;
      for (auto& c : r->changes) out.push_back(std::move(c));
      if (r->complete) break;
      request.cursor = r->cursor;
    }
    return out;
  }

  Result<canonical::Record> map(const connectors::Change& change, const LabelTables* labels = nullptr) {
    Envelope e;
    e.tenant = tenant_.id;
    e.psa = "autotask";
    e.entity = change.entity;
    e.entity_id = change.entity_id;
    e.action = change.action;
    e.source = "poll";
    e.received_at = "2026-11-25T10:00:00.000Z";
    e.idempotency_key = std::string(64, 'a');
    e.body = change.body;
    return connector().to_canonical(e, parser_, tenant_.mappings, labels);
  }

  sandbox::Sandbox psa_;
  Tenant tenant_;
  simdjson::dom::parser parser_;
};

TEST_F(AutotaskPollingTest, ContactsAndConfigurationItemsArePagedAndEachReadOnce) {
  for (int n = 1; n <= 5; ++n) {
    psa_.upsert_record("autotask", "Contacts",
                       R"({"companyID":100,"firstName":"Paged","lastName":"Contact )" + std::to_string(n) +
                           R"(","isActive":1})");
    psa_.upsert_record("autotask", "ConfigurationItems",
                       R"({"companyID":100,"referenceTitle":"PAGED-)" + std::to_string(n) +
                           R"(","productID":1,"isActive":true,"configurationItemType":2})");
  }
  for (const auto& [entity, sandbox_entity] :
       std::vector<std::pair<std::string, std::string>>{{"contact", "Contacts"}, {"configuration", "ConfigurationItems"}}) {
    SCOPED_TRACE(entity);
    RecordingPsa http;
    int calls = 0;
    const auto changes = read_all(entity, "", 2, http, calls);
    const size_t stored = psa_.records("autotask", sandbox_entity).size();
    ASSERT_EQ(stored, 6u);  // the seed's one and five more
    std::map<std::string, int> seen;
    for (const auto& c : changes) {
      ++seen[c.entity_id];
      EXPECT_EQ(c.entity, entity);
      auto mapped = map(c);
      EXPECT_TRUE(mapped.ok()) << mapped.error().message;
    }
    EXPECT_EQ(seen.size(), stored);
    for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id;
    EXPECT_EQ(calls, 3) << "6 records at 2 a page, one page a call, each resuming at the cursor";
    // Within one call, later pages follow Autotask's nextPageUrl.
    RecordingPsa one_call;
    auto all = connector().poll(tenant_, one_call, connectors::PollRequest{entity, "", "", 5, 2});
    ASSERT_TRUE(all.ok()) << all.error().message;
    EXPECT_TRUE(all->complete);
    EXPECT_EQ(all->pages, 3);
    EXPECT_EQ(all->changes.size(), stored);
    ASSERT_EQ(one_call.urls.size(), 3u);
    EXPECT_NE(one_call.urls[1].find("/query?search="), std::string::npos) << one_call.urls[1];
  }
}

TEST_F(AutotaskPollingTest, EachEntityFiltersOnItsOwnChangeStamp) {
  const std::vector<std::pair<std::string, std::string>> stamps = {{"contact", "lastModifiedDate"},
                                                                   {"configuration", "lastModifiedTime"},
                                                                   {"agreement", "lastModifiedDateTime"},
                                                                   {"ticket", "lastActivityDate"}};
  for (const auto& [entity, field] : stamps) {
    RecordingPsa http;
    auto r = connector().poll(tenant_, http, connectors::PollRequest{entity, "2026-01-01T00:00:00Z", "", 1, 0});
    ASSERT_TRUE(r.ok()) << entity << ": " << r.error().message;
    ASSERT_FALSE(http.bodies.empty());
    EXPECT_NE(http.bodies[0].find("\"field\":\"" + field + "\""), std::string::npos) << entity << ": " << http.bodies[0];
  }
  // A delta reads what changed since: the contact touched now, not the 2024 seed.
  const auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  while (std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) == start) std::this_thread::sleep_for(20ms);
  const std::string since = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
  std::this_thread::sleep_for(5ms);
  psa_.upsert_record("autotask", "Contacts", R"({"companyID":100,"firstName":"New","lastName":"Contact","isActive":1})");
  RecordingPsa http;
  int calls = 0;
  const auto changes = read_all("contact", since, 0, http, calls);
  ASSERT_EQ(changes.size(), 1u);
  auto mapped = map(changes[0]);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(std::get<canonical::Contact>(*mapped).first_name, std::optional<std::string>("New"));
}

TEST_F(AutotaskPollingTest, AContractComesWithItsServicesRecurringValueAndVendor) {
  // More contracts than a page, so services are read for each page.
  for (int n = 1; n <= 3; ++n) {
    psa_.upsert_record("autotask", "Contracts",
                       R"({"contractName":"Block )" + std::to_string(n) +
                           R"(","contractType":4,"companyID":100,"status":1,"startDate":"2026-01-01T00:00:00.000Z",)"
                           R"("endDate":"2027-01-01T00:00:00.000Z"})");
  }
  RecordingPsa http;
  int calls = 0;
  const auto changes = read_all("agreement", "", 2, http, calls);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(calls, 2);
  int service_queries = 0, unit_queries = 0;
  for (const auto& url : http.urls) {
    service_queries += url.ends_with("/ContractServices/query");
    unit_queries += url.ends_with("/ContractServiceUnits/query");
  }
  EXPECT_EQ(service_queries, 2) << "one services query per page of contracts";
  EXPECT_EQ(unit_queries, 2);

  // Labels as ingest reads them for normalize.
  auto labels = connector().label_tables(tenant_, http);
  ASSERT_TRUE(labels.ok()) << labels.error().message;
  EXPECT_EQ(labels->tables.at("agreement.contractType").at("7"), "Recurring Service");
  EXPECT_EQ(labels->tables.at("ticket.status").at("5"), "Complete");

  for (const auto& c : changes) {
    auto mapped = map(c, &*labels);
    ASSERT_TRUE(mapped.ok()) << mapped.error().message;
    const auto& a = std::get<canonical::Agreement>(*mapped);
    if (c.entity_id != "200") {
      EXPECT_EQ(a.type, std::optional<std::string>("Block Hours"));
      EXPECT_EQ(a.recurring, std::optional<bool>(false));
      EXPECT_FALSE(a.vendor.has_value()) << "a vendor is never defaulted";
      continue;
    }
    EXPECT_EQ(a.name, "Acme Managed Services");
    EXPECT_EQ(a.type, std::optional<std::string>("Recurring Service"));
    EXPECT_EQ(a.type_id, std::optional<std::string>("7"));
    EXPECT_EQ(a.status, std::optional<std::string>("Active"));
    EXPECT_EQ(a.recurring, std::optional<bool>(true));
    EXPECT_EQ(a.bill_amount, std::optional<double>(700));  // 10 × 50 + 1 × 200
    EXPECT_EQ(a.billing_cycle, std::optional<std::string>("Monthly"));
    EXPECT_EQ(a.billing_period, std::optional<std::string>("monthly"));
    EXPECT_EQ(a.monthly_amount, std::optional<double>(700));
    EXPECT_EQ(a.vendor, (std::optional<canonical::Ref>(canonical::Ref{"101", std::nullopt})));
  }
}

}  // namespace
}  // namespace switchyard::testing
