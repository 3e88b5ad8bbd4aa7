// Pulseway PSA connector against the sandbox over real HTTP (docs/psa/pulseway.md): the shared
// v2 client under Pulseway's names — the token exchange for an Api Employee, paging, an error
// inside an HTTP 200, the connection test, a write found again by its marker — and no webhooks.
#include <gtest/gtest.h>

#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

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

class NoMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return std::nullopt; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

class PulsewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    psa_.start();
    tenant_.id = "acme";
    tenant_.psa = "pulseway";
    tenant_.base_url = psa_.psa_base_url("pulseway");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"username", "pulseway-api@acme-msp.example"}, {"password", "pulseway-sandbox-password"},
                           {"company", "acme-msp"}};
  }
  void TearDown() override { psa_.stop(); }

  static const connectors::Connector& connector() { return *connectors::builtin_registry().find("pulseway"); }

  std::string token() {
    auto issued = connector().token_source()->issue(tenant_, http_, "");
    EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
    return issued.ok() ? issued->access_token : std::string();
  }

  sandbox::Sandbox psa_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(PulsewayTest, AnApiEmployeeGetsATokenAndARefusalSaysWhatToCheck) {
  EXPECT_FALSE(token().empty());
  EXPECT_EQ(http_.requests[0].url, tenant_.base_url + "/v2/security/authenticate");
  tenant_.credentials["company"] = "someone-else";
  auto refused = connector().token_source()->issue(tenant_, http_, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, connectors::auth::kBadCredentials);
  EXPECT_NE(connector().token_source()->credentials_advice(tenant_).find("Api Employee"), std::string::npos);
}

TEST_F(PulsewayTest, PollingPagesAndAnErrorInsideA200IsAnError) {
  for (int n = 1; n <= 3; ++n) psa_.upsert_record("pulseway", "accounts", R"({"AccountName":"Co )" + std::to_string(n) + R"(","AccountType":"Customer"})");
  BearerHttp http(http_, token());
  connectors::PollRequest request{"company", "", "", 10, 2};
  auto result = connector().poll(tenant_, http, request);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->complete);
  EXPECT_EQ(result->changes.size(), 5u);  // two seeds, three new
  EXPECT_GE(result->pages, 3);

  auto missing = connector().fetch_record(tenant_, http, "company", "999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, connectors::kRecordNotFound);
  EXPECT_NE(missing.error().message.find("Pulseway PSA"), std::string::npos) << missing.error().message;
}

TEST_F(PulsewayTest, TheConnectionTestPassesAndWebhooksAreRefused) {
  BearerHttp http(http_, token());
  auto report = connector().test_connection(tenant_, http);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->checks.size(), 6u);
  http::Headers none;
  EXPECT_FALSE(connector().verify_webhook(tenant_, {"{}", none}).ok());
  EXPECT_TRUE(connector().spec().webhook_entities.empty());
}

TEST_F(PulsewayTest, TheConnectionTestWarnsOfASystemAdministratorWithoutFailing) {
  BearerHttp http(http_, token());
  auto least = connector().test_connection(tenant_, http);
  ASSERT_TRUE(least.ok()) << least.error().message;
  EXPECT_TRUE(least->warnings.empty()) << least->warnings.front().message;

  psa_.upsert_record("pulseway", "userinfo", R"({"id":1,"IsUserSystemAdmin":true})");
  auto admin = connector().test_connection(tenant_, http);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_TRUE(admin->ok) << "a warning is not a failure";
  ASSERT_EQ(admin->warnings.size(), 1u);
  EXPECT_EQ(admin->warnings[0].code, connectors::kPrivilegeAdmin);
  EXPECT_NE(admin->warnings[0].message.find("Pulseway PSA"), std::string::npos) << admin->warnings[0].message;
}

TEST_F(PulsewayTest, ATicketIsWrittenOnceEvenWithoutTheMemo) {
  BearerHttp http(http_, token());
  NoMemo memo;
  Command command;
  command.id = "cmd-1";
  command.tenant = "acme";
  TicketUpsert t;
  t.external_ref = "pw-alert-1";
  t.title = "Agent offline";
  t.company_id = "1";
  command.payload = t;
  auto first = connector().execute(tenant_, command, http, memo);
  ASSERT_EQ(first.kind, connectors::WriteOutcome::Kind::Done) << first.detail;
  EXPECT_TRUE(first.created);
  auto second = connector().execute(tenant_, command, http, memo);
  ASSERT_EQ(second.kind, connectors::WriteOutcome::Kind::Done) << second.detail;
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.psa_id, first.psa_id);
  EXPECT_EQ(psa_.records("pulseway", "tickets").size(), 2u);
}

}  // namespace
}  // namespace switchyard::testing
