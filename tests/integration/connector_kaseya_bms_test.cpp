// Kaseya BMS connector against the sandbox over real HTTP (docs/psa/kaseya-bms.md): the token
// exchange (and a refusal that names no secret), polling with PageNumber/PageSize until the
// records run out and Filter.LastActivityUpdateFrom for a delta, an error inside an HTTP 200
// envelope, a 403 in plain language, the connection test, webhooks (registered with the URL
// secret, idempotently; decoded as partial changes whose ticket is fetched), and mapping.
#include <gtest/gtest.h>

#include "connectors/kaseya_bms/kaseya_bms_connector.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

constexpr const char* kUser = "bms-api@acme-msp.example";
constexpr const char* kPassword = "bms-sandbox-password";

// A PsaHttp that puts a bearer token on every request, as TokenAuthPsaHttp would.
class BearerHttp : public connectors::PsaHttp {
 public:
  BearerHttp(RecordingHttp& inner, std::string token) : inner_(inner), token_(std::move(token)) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    http::ClientRequest with = request;
    with.headers.emplace_back("Authorization", "Bearer " + token_);
    return inner_.send(with);
  }

 private:
  RecordingHttp& inner_;
  std::string token_;
};

class KaseyaBmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psa_.start();
    tenant_.id = "acme";
    tenant_.psa = "kaseya_bms";
    tenant_.base_url = psa_.psa_base_url("kaseya_bms");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"username", kUser}, {"password", kPassword}, {"company", "acme-msp"}};
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("kaseya_bms"); }

  std::string token() {
    auto issued = connector().token_source()->issue(tenant_, http_, "");
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return issued.ok() ? issued->access_token : std::string();
  }

  std::vector<connectors::Change> read_all(const std::string& entity, const std::string& since, int page_size) {
    BearerHttp http(http_, token());
    std::vector<connectors::Change> out;
    connectors::PollRequest request{entity, since, "", 1, page_size};
    for (int calls = 0; calls < 20; ++calls) {
      auto result = connector().poll(tenant_, http, request);
      EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
      if (!result.ok()) break;
      out.insert(out.end(), result->changes.begin(), result->changes.end());
      if (result->complete) break;
      request.cursor = result->cursor;
    }
    return out;
  }

  Result<canonical::Record> canonical_of(const std::string& entity, const connectors::Change& change) {
    Envelope e;
    e.tenant = tenant_.id;
    e.psa = "kaseya_bms";
    e.entity = entity;
    e.entity_id = change.entity_id;
    e.action = change.action;
    e.source = "poll";
    e.received_at = "2026-11-25T10:00:00Z";
    e.body = change.body;
    return connector().to_canonical(e, parser_);
  }

  sandbox::Sandbox psa_;
  Tenant tenant_;
  RecordingHttp http_;
  simdjson::dom::parser parser_;
};

TEST_F(KaseyaBmsTest, TheTokenExchangeSendsTheFormAndARefusalNamesNoSecret) {
  EXPECT_FALSE(token().empty());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, tenant_.base_url + "/v2/security/authenticate");
  EXPECT_NE(http_.requests[0].body.find("GrantType=password"), std::string::npos);
  EXPECT_NE(http_.requests[0].body.find("Tenant=acme-msp"), std::string::npos);

  tenant_.credentials["password"] = "not-the-bms-password";
  auto issued = connector().token_source()->issue(tenant_, http_, "");
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, connectors::auth::kBadCredentials);
  EXPECT_EQ(issued.error().message.find("not-the-bms-password"), std::string::npos);
  EXPECT_NE(connector().token_source()->credentials_advice(tenant_).find("multi-factor"), std::string::npos);
}

TEST_F(KaseyaBmsTest, ABackfillPagesUntilTheRecordsRunOutAndADeltaFiltersByLastActivity) {
  for (int n = 1; n <= 4; ++n) {
    psa_.upsert_record("kaseya_bms", "tickets", R"({"Title":"Polled ticket )" + std::to_string(n) + R"(","AccountId":1})");
  }
  const auto all = read_all("ticket", "", 2);
  ASSERT_EQ(all.size(), 5u);  // the seed ticket and four new ones, each once
  EXPECT_EQ(all[0].entity_id, "1");
  EXPECT_EQ(all[0].version, "2024-05-02T10:00:00Z");
  bool paged = false;
  for (const auto& r : http_.requests) {
    paged = paged || r.url.find("/v2/servicedesk/tickets?PageNumber=3&PageSize=2") != std::string::npos;
  }
  EXPECT_TRUE(paged) << "the third page was never asked for by number";

  const auto delta = read_all("ticket", "2025-01-01T00:00:00Z", 100);
  ASSERT_EQ(delta.size(), 4u);  // not the 2024 seed
  EXPECT_NE(http_.requests.back().url.find("Filter.LastActivityUpdateFrom=2025-01-01T00%3A00%3A00Z"), std::string::npos);
  EXPECT_NE(delta[0].body.find("Polled ticket 1"), std::string::npos);

  const auto accounts = read_all("company", "2025-01-01T00:00:00Z", 100);
  EXPECT_TRUE(accounts.empty());
  EXPECT_NE(http_.requests.back().url.find("/v2/crm/accounts/summary?PageNumber=1&PageSize=100&Filter.ModifiedOnFrom="),
            std::string::npos);
}

TEST_F(KaseyaBmsTest, PolledRecordsMapWithTheAccountTypeAsClassification) {
  const auto accounts = read_all("company", "", 100);
  ASSERT_EQ(accounts.size(), 2u);
  auto acme = canonical_of("company", accounts[0]);
  ASSERT_TRUE(acme.ok()) << acme.error().message;
  const auto& company = std::get<canonical::Company>(*acme);
  EXPECT_EQ(company.name, "Acme Corp");
  EXPECT_EQ(company.classification, "customer");
  auto globex = canonical_of("company", accounts[1]);
  ASSERT_TRUE(globex.ok());
  EXPECT_EQ(std::get<canonical::Company>(*globex).classification, "prospect");

  const auto contracts = read_all("agreement", "", 100);
  ASSERT_EQ(contracts.size(), 1u);
  auto contract = canonical_of("agreement", contracts[0]);
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  const auto& agreement = std::get<canonical::Agreement>(*contract);
  EXPECT_EQ(agreement.recurring, true);
  EXPECT_EQ(agreement.monthly_amount, 1500.0);
  EXPECT_EQ(agreement.company->id, "1");
}

TEST_F(KaseyaBmsTest, AccountTypesChooseWhichAccountsAreImported) {
  psa_.upsert_record("kaseya_bms", "accounts", R"({"AccountName":"Initech","AccountType":"Customer"})");
  psa_.upsert_record("kaseya_bms", "accounts", R"({"AccountName":"Hooli","AccountType":"Vendor"})");
  tenant_.options["account_types"] = "Prospect";
  const auto prospects = read_all("company", "", 100);
  ASSERT_EQ(prospects.size(), 1u);
  EXPECT_NE(prospects[0].body.find("Globex"), std::string::npos);
  EXPECT_NE(http_.requests.back().url.find("&Filter.AccountTypeName=Prospect"), std::string::npos);

  // Customers, then prospects, one record per call: the cursor moves from type to type.
  tenant_.options["account_types"] = "Customer, Prospect";
  const auto both = read_all("company", "", 1);
  ASSERT_EQ(both.size(), 3u);  // Acme and Initech, then Globex; never Hooli
  EXPECT_NE(both[2].body.find("Globex"), std::string::npos);

  BearerHttp http(http_, token());
  auto bad = connector().poll(tenant_, http, {"company", "", "7.1", 1, 10});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_cursor");
}

TEST_F(KaseyaBmsTest, AnErrorInsideA200IsAnError) {
  BearerHttp http(http_, token());
  // The sandbox answers an unknown record in a 200 with Success false and Error.Code 404.
  auto missing = connector().fetch_record(tenant_, http, "ticket", "9999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, connectors::kRecordNotFound);
  EXPECT_NE(missing.error().message.find("inside an HTTP 200"), std::string::npos) << missing.error().message;

  auto found = connector().fetch_record(tenant_, http, "ticket", "1");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->version, "2024-05-02T10:00:00Z");  // the poll's version: the two dedup
}

TEST_F(KaseyaBmsTest, AForbiddenPollSaysWhichRoleAreaIsMissing) {
  BearerHttp http(http_, token());
  sandbox::Fault fault;
  fault.status = 403;
  psa_.inject_fault("kaseya_bms", fault);
  auto result = connector().poll(tenant_, http, {"company", "", "", 1, 10});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("(403)"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("CRM > Accounts"), std::string::npos) << result.error().message;
}

TEST_F(KaseyaBmsTest, ThrottlingIsExplainedAndRetryable) {
  BearerHttp http(http_, token());
  sandbox::Fault fault;
  fault.status = 429;
  psa_.inject_fault("kaseya_bms", fault);
  auto result = connector().poll(tenant_, http, {"ticket", "", "", 1, 10});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("1,500 calls an hour per endpoint"), std::string::npos) << result.error().message;
}

TEST_F(KaseyaBmsTest, TheConnectionTestNamesTheMissingRoleArea) {
  BearerHttp http(http_, token());
  auto all = connector().test_connection(tenant_, http);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_TRUE(all->ok);
  ASSERT_EQ(all->checks.size(), 6u);  // credentials and five lists
  EXPECT_EQ(all->checks[0].name, "credentials");

  sandbox::Fault fault;
  fault.status = 403;
  fault.count = 0;
  fault.duration = std::chrono::milliseconds(60000);
  fault.path = "/v2/crm/contacts/search";
  psa_.inject_fault("kaseya_bms", fault);
  auto report = connector().test_connection(tenant_, http);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->ok);
  for (const auto& check : report->checks) {
    EXPECT_EQ(check.ok, check.name != "permission:contact") << check.name << ": " << check.detail;
    if (check.name == "permission:contact") {
      EXPECT_NE(check.detail.find("CRM > Contacts"), std::string::npos);
    }
  }
}

TEST_F(KaseyaBmsTest, TheConnectionTestWarnsOfASystemAdministratorWithoutFailing) {
  BearerHttp http(http_, token());
  auto least = connector().test_connection(tenant_, http);
  ASSERT_TRUE(least.ok()) << least.error().message;
  EXPECT_TRUE(least->warnings.empty()) << least->warnings.front().message;
  EXPECT_EQ(http_.requests.back().url, tenant_.base_url + "/v2/security/userinfo");

  psa_.upsert_record("kaseya_bms", "userinfo", R"({"id":1,"IsUserSystemAdmin":true})");
  auto admin = connector().test_connection(tenant_, http);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_TRUE(admin->ok) << "a warning is not a failure";
  ASSERT_EQ(admin->warnings.size(), 1u);
  EXPECT_EQ(admin->warnings[0].code, connectors::kPrivilegeAdmin);
  EXPECT_NE(admin->warnings[0].message.find("Admin > Security > Roles"), std::string::npos) << admin->warnings[0].message;
}

TEST_F(KaseyaBmsTest, WebhooksAreRegisteredOnceWithTheUrlSecretAndRemoved) {
  BearerHttp http(http_, token());
  const std::string url = "https://hooks.example.com/v1/webhooks/kaseya_bms/acme/conformance-url-secret-000001";
  auto first = connector().register_webhooks(tenant_, http, url);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->changed);
  ASSERT_EQ(first->ids.size(), 1u);
  auto again = connector().register_webhooks(tenant_, http, url);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->ids, first->ids);
  const auto hooks = psa_.records("kaseya_bms", "webhooks");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_NE(hooks[0].find("conformance-url-secret-000001"), std::string::npos);

  ASSERT_TRUE(connector().unregister_webhooks(tenant_, http, url).ok());
  EXPECT_TRUE(psa_.records("kaseya_bms", "webhooks").empty());
  EXPECT_TRUE(connector().unregister_webhooks(tenant_, http, url).ok()) << "nothing registered is not an error";
}

TEST_F(KaseyaBmsTest, AWebhookIsAPartialChangeWhoseTicketIsFetched) {
  http::Headers none;
  const std::string body = R"({"EventName":"Ticket Updated","Data":{"TicketId":1,"Title":"anything"}})";
  EXPECT_TRUE(connector().verify_webhook(tenant_, {body, none}).ok());
  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  const auto& change = (*changes)[0];
  EXPECT_EQ(change.entity, "ticket");
  EXPECT_EQ(change.entity_id, "1");
  EXPECT_EQ(change.action, "updated");
  EXPECT_TRUE(change.needs_fetch);
  EXPECT_TRUE(change.version.starts_with("webhook:"));

  BearerHttp http(http_, token());
  auto fetched = connector().fetch_record(tenant_, http, change.entity, change.entity_id);
  ASSERT_TRUE(fetched.ok()) << fetched.error().message;
  EXPECT_NE(fetched->body.find("Printer on fire"), std::string::npos);

  auto deleted = connector().decode_webhook(tenant_, R"({"Event":"Deleted","Id":7})");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ((*deleted)[0].action, "deleted");
  EXPECT_FALSE((*deleted)[0].needs_fetch);
  EXPECT_FALSE(connector().decode_webhook(tenant_, R"({"Event":"Updated"})").ok());
  EXPECT_FALSE(connector().decode_webhook(tenant_, "[1,2]").ok());
}

}  // namespace
}  // namespace switchyard::testing
