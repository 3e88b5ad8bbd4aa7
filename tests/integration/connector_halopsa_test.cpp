// HaloPSA connector against the sandbox over real HTTP (docs/psa/halopsa.md): the token request
// (with the hosted tenant's name only when configured, and a refusal that names no secret),
// polling with pageinate/page_size/page_no and lastupdatefromdate (client contracts filtered by
// the connector, since their list cannot; sites polled and mapped to canonical v1.2), a 403 in plain language, the connection test, and
// webhook verification by HMAC with a prefix, by basic credentials, and by the URL secret alone.
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "connectors/halopsa/halopsa_connector.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

constexpr const char* kClientId = "halo-sandbox-client";
constexpr const char* kClientSecret = "halo-sandbox-client-secret";

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

class HaloPsaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psa_.start();
    tenant_.id = "acme";
    tenant_.psa = "halopsa";
    tenant_.base_url = psa_.psa_base_url("halopsa");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"client_id", kClientId}, {"client_secret", kClientSecret}};
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("halopsa"); }

  std::string token() {
    auto issued = connector().token_source()->issue(tenant_, http_, "");
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return issued.ok() ? issued->access_token : std::string();
  }

  // Every change of a delta, one page of `page_size` per call, resuming at each cursor.
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

  sandbox::Sandbox psa_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(HaloPsaTest, TheTokenRequestNamesTheHostedTenantOnlyWhenConfigured) {
  EXPECT_FALSE(token().empty());
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url, tenant_.base_url + "/auth/token");
  EXPECT_NE(http_.requests[0].body.find("grant_type=client_credentials"), std::string::npos);
  EXPECT_NE(http_.requests[0].body.find("scope=all"), std::string::npos);

  tenant_.credentials["tenant"] = "acme msp";
  EXPECT_FALSE(token().empty());
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[1].url, tenant_.base_url + "/auth/token?tenant=acme%20msp");
}

TEST_F(HaloPsaTest, RefusedCredentialsAreBadCredentialsWithoutTheSecret) {
  tenant_.credentials["client_secret"] = "not-the-halo-secret";
  auto issued = connector().token_source()->issue(tenant_, http_, "");
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, connectors::auth::kBadCredentials);
  EXPECT_EQ(issued.error().message.find("not-the-halo-secret"), std::string::npos);
  EXPECT_NE(connector().token_source()->credentials_advice(tenant_).find("credentials.client_secret"),
            std::string::npos);
}

TEST_F(HaloPsaTest, ABackfillPagesByNumberAndADeltaFiltersByLastUpdate) {
  for (int n = 1; n <= 4; ++n) {
    psa_.upsert_record("halopsa", "Tickets", R"({"summary":"Polled ticket )" + std::to_string(n) + R"("})");
  }
  const auto all = read_all("ticket", "", 2);
  ASSERT_EQ(all.size(), 5u);  // the seed ticket and four new ones, each once
  EXPECT_EQ(all[0].entity_id, "1");
  EXPECT_EQ(all[0].version, "2024-05-02T10:00:00Z");
  bool paged = false;
  for (const auto& r : http_.requests) {
    paged = paged || r.url.find("/api/Tickets?pageinate=true&page_size=2&page_no=3") != std::string::npos;
  }
  EXPECT_TRUE(paged) << "the third page was never asked for by number";

  const auto delta = read_all("ticket", "2025-01-01T00:00:00Z", 100);
  ASSERT_EQ(delta.size(), 4u);  // not the 2024 seed
  EXPECT_NE(http_.requests.back().url.find("lastupdatefromdate=2025-01-01T00%3A00%3A00Z"), std::string::npos);
  EXPECT_NE(delta[0].body.find("Polled ticket 1"), std::string::npos);
}

TEST_F(HaloPsaTest, ContractDeltasAreFilteredByTheConnector) {
  psa_.upsert_record("halopsa", "ClientContract", R"({"ref":"NEW-CONTRACT","client_id":1,"billing_period_string":"Monthly"})");
  const auto delta = read_all("agreement", "2025-01-01T00:00:00Z", 100);
  ASSERT_EQ(delta.size(), 1u);  // the 2024 seed contract is read but left out
  EXPECT_NE(delta[0].body.find("NEW-CONTRACT"), std::string::npos);
  EXPECT_EQ(http_.requests.back().url.find("lastupdatefromdate"), std::string::npos);
  EXPECT_EQ(read_all("agreement", "", 100).size(), 2u);
}

// /api/Site takes lastupdatefromdate (docs/psa/halopsa.md, §4), so a delta is filtered by Halo.
TEST_F(HaloPsaTest, SitesArePolledByPageAndDeltaAndMapToCanonicalSites) {
  psa_.upsert_record("halopsa", "Site",
                     R"({"name":"Acme - Branch","client_id":1,"client_name":"Acme Corp","phonenumber":"555-0199",)"
                     R"("delivery_address":{"line1":"7 Mesa Dr","postcode":"85004"}})");
  const auto all = read_all("site", "", 2);
  ASSERT_EQ(all.size(), 4u);  // three seeds and the new one, each once
  EXPECT_EQ(all[0].entity_id, "1");
  EXPECT_EQ(all[0].version, "2024-05-01T09:05:00Z");
  bool paged = false;
  for (const auto& r : http_.requests) {
    paged = paged || r.url.find("/api/Site?pageinate=true&page_size=2&page_no=2") != std::string::npos;
  }
  EXPECT_TRUE(paged) << "the second page was never asked for by number";

  const auto delta = read_all("site", "2025-01-01T00:00:00Z", 100);
  ASSERT_EQ(delta.size(), 1u);  // not the 2024 seeds
  EXPECT_NE(http_.requests.back().url.find("/api/Site?"), std::string::npos);
  EXPECT_NE(http_.requests.back().url.find("lastupdatefromdate=2025-01-01T00%3A00%3A00Z"), std::string::npos);

  simdjson::dom::parser parser;
  simdjson::dom::object head;
  ASSERT_EQ(parser.parse(all[0].body).get(head), simdjson::SUCCESS);
  auto mapped = connectors::halopsa::map_record("acme", "site", head);
  ASSERT_TRUE(mapped.ok()) << mapped.error().message;
  const auto& site = std::get<canonical::Site>(*mapped);
  EXPECT_EQ(site.source, (canonical::SourceRef{"halopsa", "Site", "1"}));
  EXPECT_EQ(site.updated_at, "2024-05-01T09:05:00Z");
  EXPECT_EQ(site.name, "Acme - Head Office");
  EXPECT_EQ(site.company, (canonical::Ref{"1", "Acme Corp"}));
  EXPECT_FALSE(site.main);  // Halo's Site carries no main-site flag
  EXPECT_TRUE(site.active);
  EXPECT_EQ(site.phone, "555-0100");
  ASSERT_EQ(site.addresses.size(), 2u);  // delivery, then invoice
  EXPECT_EQ(site.addresses[0].street_lines, (std::vector<std::string>{"1 Road Runner Way", "Suite 5", "Phoenix", "AZ"}));
  EXPECT_EQ(site.addresses[0].postal_code, "85001");
  EXPECT_EQ(site.addresses[1].street_lines, (std::vector<std::string>{"PO Box 42", "Phoenix", "AZ"}));
  EXPECT_EQ(site.addresses[1].postal_code, "85002");

  // The warehouse: inactive, no phone, its invoice address is its delivery address.
  simdjson::dom::object warehouse;
  ASSERT_EQ(parser.parse(all[2].body).get(warehouse), simdjson::SUCCESS);
  auto second = connectors::halopsa::map_record("acme", "site", warehouse);
  ASSERT_TRUE(second.ok()) << second.error().message;
  const auto& w = std::get<canonical::Site>(*second);
  EXPECT_FALSE(w.active);
  EXPECT_FALSE(w.phone.has_value());
  ASSERT_EQ(w.addresses.size(), 1u);
  EXPECT_EQ(w.addresses[0].street_lines, std::vector<std::string>{"9 Canyon Rd"});
}

// The list answer (Site_List) carries the delivery address only as flat lines; a site without
// a name is refused, naming the field.
TEST_F(HaloPsaTest, ASiteFromTheListShapeMapsItsFlatDeliveryLines) {
  simdjson::dom::parser parser;
  simdjson::dom::object listed;
  ASSERT_EQ(parser.parse(std::string(R"({"id":9,"name":"Globex - Depot","client_id":2,"inactive":false,)"
                                     R"("delivery_address_line1":"3 Elm St","delivery_address_line2":"",)"
                                     R"("delivery_address_line3":"Springfield","slastupdate":"2026-11-25T08:00:00"})"))
                .get(listed),
            simdjson::SUCCESS);
  auto mapped = connectors::halopsa::map_record("acme", "site", listed);
  ASSERT_TRUE(mapped.ok()) << mapped.error().message;
  const auto& site = std::get<canonical::Site>(*mapped);
  EXPECT_EQ(site.updated_at, "2026-11-25T08:00:00Z");  // zone-less Halo times are UTC
  EXPECT_EQ(site.company, (canonical::Ref{"2", std::nullopt}));
  ASSERT_EQ(site.addresses.size(), 1u);
  EXPECT_EQ(site.addresses[0].street_lines, (std::vector<std::string>{"3 Elm St", "Springfield"}));
  EXPECT_FALSE(site.addresses[0].postal_code.has_value());

  simdjson::dom::object nameless;
  ASSERT_EQ(parser.parse(std::string(R"({"id":10,"client_id":2,"slastupdate":"2026-11-25T08:00:00Z"})")).get(nameless),
            simdjson::SUCCESS);
  auto refused = connectors::halopsa::map_record("acme", "site", nameless);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("name"), std::string::npos) << refused.error().message;
}

TEST_F(HaloPsaTest, AForbiddenPollSaysWhichPermissionIsMissing) {
  BearerHttp http(http_, token());  // before the fault: it would refuse the token request too
  sandbox::Fault fault;
  fault.status = 403;
  psa_.inject_fault("halopsa", fault);
  auto result = connector().poll(tenant_, http, {"company", "", "", 1, 10});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("(403)"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("Client: read"), std::string::npos) << result.error().message;
}

TEST_F(HaloPsaTest, TheConnectionTestNamesTheMissingPermission) {
  BearerHttp http(http_, token());
  auto all = connector().test_connection(tenant_, http);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_TRUE(all->ok);
  ASSERT_EQ(all->checks.size(), 7u);  // credentials and six resources
  EXPECT_EQ(all->checks[0].name, "credentials");

  sandbox::Fault fault;
  fault.status = 403;
  fault.count = 0;
  fault.duration = std::chrono::milliseconds(60000);
  fault.path = "/api/Users";
  psa_.inject_fault("halopsa", fault);
  auto report = connector().test_connection(tenant_, http);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->ok);
  for (const auto& check : report->checks) {
    EXPECT_EQ(check.ok, check.name != "permission:users") << check.name << ": " << check.detail;
    if (check.name == "permission:users") {
      EXPECT_NE(check.detail.find("Users (read)"), std::string::npos);
    }
  }
}

TEST_F(HaloPsaTest, TheConnectionTestWarnsOfAnAdministratorAgentWithoutFailing) {
  BearerHttp http(http_, token());
  auto least = connector().test_connection(tenant_, http);
  ASSERT_TRUE(least.ok()) << least.error().message;
  EXPECT_TRUE(least->warnings.empty()) << least->warnings.front().message;
  EXPECT_EQ(http_.requests.back().url, tenant_.base_url + "/api/Agent/me");

  psa_.upsert_record("halopsa", "Agent", R"({"id":1,"is_admin":true})");
  auto admin = connector().test_connection(tenant_, http);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_TRUE(admin->ok) << "a warning is not a failure";
  ASSERT_EQ(admin->warnings.size(), 1u);
  EXPECT_EQ(admin->warnings[0].code, connectors::kPrivilegeAdmin);
  EXPECT_NE(admin->warnings[0].message.find("administrator agent"), std::string::npos) << admin->warnings[0].message;
  EXPECT_EQ(admin->warnings[0].message.find(kClientSecret), std::string::npos);
}

TEST_F(HaloPsaTest, WebhooksVerifyByHmacByBasicCredentialsOrByTheUrlSecretAlone) {
  const std::string body = R"({"id":4021,"summary":"Printer","last_update":"2026-11-25T10:00:00"})";
  http::Headers none;
  // No signing secret: the URL secret, checked by ingest, is the whole check.
  EXPECT_TRUE(connector().verify_webhook(tenant_, {body, none}).ok());

  tenant_.webhook_signing_secrets = {"halo-hmac-key"};
  tenant_.options = {{"webhook_signature_header", "X-Sig"}, {"webhook_signature_prefix", "sha256="}};
  const std::string mac = crypto::hex_encode(crypto::hmac_sha256("halo-hmac-key", body));
  EXPECT_TRUE(connector().verify_webhook(tenant_, {body, http::Headers{{"X-Sig", "sha256=" + mac}}}).ok());
  EXPECT_FALSE(connector().verify_webhook(tenant_, {body, http::Headers{{"X-Sig", mac}}}).ok()) << "prefix missing";
  EXPECT_FALSE(connector().verify_webhook(tenant_, {body, none}).ok());

  tenant_.webhook_signing_secrets = {"halo:basic-password-1"};
  const http::Headers basic{{"Authorization", "Basic " + crypto::base64_encode("halo:basic-password-1")}};
  const http::Headers wrong{{"Authorization", "Basic " + crypto::base64_encode("halo:basic-password-2")}};
  EXPECT_TRUE(connector().verify_webhook(tenant_, {body, basic}).ok());
  EXPECT_FALSE(connector().verify_webhook(tenant_, {body, wrong}).ok());

  auto changes = connector().decode_webhook(tenant_, body);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].entity, "ticket");
  EXPECT_EQ((*changes)[0].entity_id, "4021");
  EXPECT_EQ((*changes)[0].version, "2026-11-25T10:00:00Z");
  EXPECT_FALSE(connector().decode_webhook(tenant_, R"({"id":1,"name":"no change field"})").ok());
}

}  // namespace
}  // namespace switchyard::testing
