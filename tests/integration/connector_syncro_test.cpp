// Syncro connector against the sandbox over real HTTP (docs/psa/syncro.md): the API token in the
// Authorization header, polling by page until meta.total_pages (since_updated_at on tickets;
// other lists filtered by the connector), a refused token in plain language without the token,
// a 429, the connection test, and webhooks decoded from the body or its "attributes".
#include <gtest/gtest.h>

#include <map>

#include "connectors/registry.h"
#include "connectors/syncro/syncro_connector.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

constexpr const char* kToken = "syncro-sandbox-api-token";

class SyncroTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psa_.start();
    tenant_.id = "acme";
    tenant_.psa = "syncro";
    tenant_.base_url = psa_.psa_base_url("syncro");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"api_token", kToken}};
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("syncro"); }

  // Every change of a delta, one page per call, resuming at each cursor.
  std::vector<connectors::Change> read_all(const std::string& entity, const std::string& since, int* calls = nullptr) {
    std::vector<connectors::Change> out;
    connectors::PollRequest request{entity, since, "", 1, 0};
    int n = 0;
    for (; n < 20; ++n) {
      auto result = connector().poll(tenant_, http_, request);
      EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
      if (!result.ok()) break;
      out.insert(out.end(), result->changes.begin(), result->changes.end());
      if (result->complete) break;
      EXPECT_NE(result->cursor, request.cursor) << "an incomplete call must move the cursor";
      request.cursor = result->cursor;
    }
    if (calls) *calls = n + 1;
    return out;
  }

  sandbox::Sandbox psa_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(SyncroTest, EveryCallCarriesTheTokenInTheAuthorizationHeader) {
  ASSERT_EQ(read_all("company", "").size(), 2u);  // the two seed customers
  ASSERT_FALSE(http_.requests.empty());
  std::string bearer = "Bearer ";
  bearer.append(kToken);
  EXPECT_EQ(http::find_header(http_.requests[0].headers, "Authorization"), bearer);
  std::string first_page = tenant_.base_url;
  first_page.append("/customers?page=1");
  EXPECT_EQ(http_.requests[0].url, first_page);
}

TEST_F(SyncroTest, ABackfillReadsEveryPageUntilTotalPagesAndADeltaUsesSinceUpdatedAt) {
  for (int n = 1; n <= 30; ++n) {
    std::string record = R"({"subject":"Polled ticket )";
    record.append(std::to_string(n)).append(R"(","status":"New"})");
    psa_.upsert_record("syncro", "tickets", record);
  }
  int calls = 0;
  const auto all = read_all("ticket", "", &calls);
  ASSERT_EQ(all.size(), 31u);  // the seed ticket and thirty new ones, each once
  EXPECT_EQ(calls, 2);         // 25 a page: two pages
  EXPECT_EQ(all[0].entity_id, "1");
  EXPECT_EQ(all[0].version, "2024-05-02T10:00:00.000Z");
  EXPECT_NE(http_.requests.back().url.find("page=2"), std::string::npos);

  const auto delta = read_all("ticket", "2025-01-01T00:00:00Z");
  ASSERT_EQ(delta.size(), 30u);  // not the 2024 seed
  EXPECT_NE(http_.requests.back().url.find("since_updated_at=2025-01-01T00%3A00%3A00Z"), std::string::npos);
}

TEST_F(SyncroTest, ListsWithoutAChangeFilterAreFilteredByTheConnector) {
  psa_.upsert_record("syncro", "contracts", R"({"name":"NEW-CONTRACT","customer_id":1,"contract_amount":"99.5"})");
  const auto delta = read_all("agreement", "2025-01-01T00:00:00Z");
  ASSERT_EQ(delta.size(), 1u);  // the 2024 seed contract is read but left out
  EXPECT_NE(delta[0].body.find("NEW-CONTRACT"), std::string::npos);
  EXPECT_EQ(http_.requests.back().url.find("since_updated_at"), std::string::npos);
  EXPECT_EQ(read_all("agreement", "").size(), 2u);
}

TEST_F(SyncroTest, ARefusedTokenIsExplainedWithoutTheToken) {
  tenant_.credentials = {{"api_token", "not-the-sandbox-token-123"}};
  auto result = connector().poll(tenant_, http_, {"ticket", "", "", 1, 0});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("(401)"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("Tickets"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("not-the-sandbox-token-123"), std::string::npos);
}

TEST_F(SyncroTest, ThrottlingIsReportedAsSuch) {
  sandbox::Fault fault;
  fault.status = 429;
  psa_.inject_fault("syncro", fault);
  auto result = connector().poll(tenant_, http_, {"contact", "", "", 1, 0});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("(429)"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("180 requests a minute"), std::string::npos) << result.error().message;
}

TEST_F(SyncroTest, TheConnectionTestNamesTheMissingPermission) {
  auto all = connector().test_connection(tenant_, http_);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_TRUE(all->ok);
  ASSERT_EQ(all->checks.size(), 6u);  // credentials and five resources
  EXPECT_EQ(all->checks[0].name, "credentials");

  sandbox::Fault fault;
  fault.status = 401;
  fault.count = 0;
  fault.duration = std::chrono::milliseconds(60000);
  fault.path = "/customer_assets";
  psa_.inject_fault("syncro", fault);
  auto report = connector().test_connection(tenant_, http_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->ok);
  for (const auto& check : report->checks) {
    EXPECT_EQ(check.ok, check.name != "permission:customer_assets") << check.name << ": " << check.detail;
    if (check.name == "permission:customer_assets") {
      EXPECT_NE(check.detail.find("Assets - List/Search"), std::string::npos);
    }
  }

  tenant_.credentials = {{"api_token", "wrong-token-for-the-test"}};
  auto refused = connector().test_connection(tenant_, http_);
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_FALSE(refused->ok);
  ASSERT_EQ(refused->checks.size(), 1u);
  EXPECT_EQ(refused->checks[0].name, "credentials");
}

TEST_F(SyncroTest, TheConnectionTestWarnsOfMoreThanTheTokenNeedsWithoutFailing) {
  auto least = connector().test_connection(tenant_, http_);
  ASSERT_TRUE(least.ok()) << least.error().message;
  EXPECT_TRUE(least->warnings.empty()) << least->warnings.front().message;

  // An administrator token that may also delete tickets and run scripts.
  psa_.upsert_record("syncro", "me", R"({"id":1,"admin":true,
      "permissions":{"ticket":{"read":true,"write":true,"delete":true},"customer":{"read":true,"write":false},
                     "script":{"execute":true}}})");
  auto wide = connector().test_connection(tenant_, http_);
  ASSERT_TRUE(wide.ok()) << wide.error().message;
  EXPECT_TRUE(wide->ok) << "a warning is not a failure";
  std::map<std::string, std::string> by_code;
  for (const auto& w : wide->warnings) by_code[w.code] = w.message;
  ASSERT_EQ(by_code.size(), 3u);
  EXPECT_NE(by_code[std::string(connectors::kPrivilegeAdmin)].find("administrator"), std::string::npos);
  EXPECT_NE(by_code[std::string(connectors::kPrivilegeDelete)].find("delete ticket records"), std::string::npos)
      << by_code[std::string(connectors::kPrivilegeDelete)];
  EXPECT_NE(by_code[std::string(connectors::kPrivilegeUnused)].find("run scripts"), std::string::npos)
      << by_code[std::string(connectors::kPrivilegeUnused)];
  for (const auto& w : wide->warnings) EXPECT_EQ(w.message.find(kToken), std::string::npos) << "no secret";
}

TEST_F(SyncroTest, WebhooksAreDecodedFromTheBodyOrItsAttributes) {
  http::Headers none;
  const std::string wrapped =
      R"({"attributes":{"id":77,"number":9,"subject":"Disk full","status":"Resolved","customer_id":1,)"
      R"("updated_at":"2026-11-25T10:00:00.250Z"}})";
  EXPECT_TRUE(connector().verify_webhook(tenant_, {wrapped, none}).ok());  // unsigned: the URL secret is the check
  auto ticket = connector().decode_webhook(tenant_, wrapped);
  ASSERT_TRUE(ticket.ok()) << ticket.error().message;
  ASSERT_EQ(ticket->size(), 1u);
  EXPECT_EQ((*ticket)[0].entity, "ticket");
  EXPECT_EQ((*ticket)[0].entity_id, "77");
  EXPECT_EQ((*ticket)[0].version, "2026-11-25T10:00:00.250Z");
  EXPECT_EQ((*ticket)[0].body.find("attributes"), std::string::npos) << "the record itself is kept";

  auto asset = connector().decode_webhook(
      tenant_, R"({"id":5,"name":"PC-1","asset_type":"Laptop","customer_id":1,"updated_at":"2026-11-25T10:00:00Z"})");
  ASSERT_TRUE(asset.ok()) << asset.error().message;
  EXPECT_EQ((*asset)[0].entity, "configuration");

  EXPECT_FALSE(connector().decode_webhook(tenant_, R"({"id":5,"updated_at":"2026-11-25T10:00:00Z"})").ok());
  EXPECT_FALSE(connector().decode_webhook(tenant_, R"([1,2])").ok());
  EXPECT_FALSE(connector().decode_webhook(tenant_, R"({"id":5,"subject":"x","number":1,"updated_at":"yesterday"})").ok());
}

TEST_F(SyncroTest, ARecordIsFetchedWithThePollsVersion) {
  auto fetched = connector().fetch_record(tenant_, http_, "company", "2");
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_EQ(fetched->entity_id, "2");
  EXPECT_EQ(fetched->version, "2024-05-01T09:30:00.000Z");
  EXPECT_NE(fetched->body.find("Globex Corporation"), std::string::npos);
  const auto polled = read_all("company", "");
  ASSERT_EQ(polled.size(), 2u);
  EXPECT_EQ(polled[1].version, fetched->version);

  auto gone = connector().fetch_record(tenant_, http_, "ticket", "999");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, connectors::kRecordNotFound);
  EXPECT_FALSE(connector().fetch_record(tenant_, http_, "ticket", "1/../me").ok());
}

TEST_F(SyncroTest, AResolvedTicketIsClosedAndAContractAmountIsReadOnlyWhenItIsANumber) {
  simdjson::dom::parser parser;
  auto ticket = connectors::syncro::map_record(
      "acme", "ticket",
      parser.parse(std::string(R"({"id":1,"subject":"S","status":"Resolved","resolved_at":"2026-11-25T10:00:00Z",)"
                               R"("updated_at":"2026-11-25T10:00:00Z"})")).get_object().value());
  ASSERT_TRUE(ticket.ok()) << ticket.error().message;
  EXPECT_TRUE(std::get<canonical::Ticket>(*ticket).closed);

  simdjson::dom::parser parser2;
  auto contract = connectors::syncro::map_record(
      "acme", "agreement",
      parser2.parse(std::string(R"({"id":1,"name":"Tier 1","contract_amount":"30k","updated_at":"2026-11-25T10:00:00Z"})"))
          .get_object().value());
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  EXPECT_FALSE(std::get<canonical::Agreement>(*contract).bill_amount.has_value()) << "\"30k\" is not guessed at";
}

}  // namespace
}  // namespace switchyard::testing
