// HaloPSA connector against the sandbox over real HTTP (docs/psa/halopsa.md): the token request
// (with the hosted tenant's name only when configured, and a refusal that names no secret),
// polling with pageinate/page_size/page_no and lastupdatefromdate (client contracts filtered by
// the connector, since their list cannot), a 403 in plain language, the connection test, and
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
  ASSERT_EQ(all->checks.size(), 6u);  // credentials and five resources
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
