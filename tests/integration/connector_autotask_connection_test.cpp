// The Autotask connection test and error translation against the sandbox over real HTTP: each
// of Autotask's authentication failures (a wrong secret answers 401; an unknown user name and a
// wrong tracking identifier answer 500) is named in plain words with the setting to fix, the
// hourly request budget is reported, a security level that cannot read an entity is named, and
// no message carries a secret.
#include <gtest/gtest.h>

#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors {
namespace {

using testing::RecordingHttp;

class AutotaskConnectionTest : public ::testing::Test {
 protected:
  AutotaskConnectionTest() {
    sandbox_.start();
    tenant_ = testing::autotask_sandbox_tenant(sandbox_);
  }
  ~AutotaskConnectionTest() override { sandbox_.stop(); }

  const Connector& at() const { return *builtin_registry().find("autotask"); }
  const ConnectionCheck* check(const ConnectionReport& r, std::string_view name) {
    for (const auto& c : r.checks) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
  static void expect_no_secret(const std::string& text) {
    const sandbox::AutotaskCredentials c;
    for (const std::string& secret : {c.secret, c.integration_code, std::string("wrong-secret-value")}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "a secret in: " << text;
    }
  }

  // A ticket.upsert of `t`, executed with no memo (every call goes to Autotask).
  WriteOutcome upsert(const Tenant& t, const std::string& ref) {
    TicketUpsert upsert;
    upsert.external_ref = ref;
    upsert.title = "t";
    upsert.company_id = "0";
    upsert.board_id = "5";
    struct NoMemo : WriteMemo {
      std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
      void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
    } memo;
    return at().execute(t, Command{"cmd-" + ref, t.id, "", upsert}, http_, memo);
  }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(AutotaskConnectionTest, AGoodTenantPassesEveryCheckAndSeesItsBudget) {
  auto report = at().test_connection(tenant_, http_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  for (const auto& c : report->checks) EXPECT_TRUE(c.ok) << c.name << ": " << c.detail;
  EXPECT_TRUE(report->ok);
  const ConnectionCheck* budget = check(*report, "request_budget");
  ASSERT_NE(budget, nullptr);
  EXPECT_NE(budget->detail.find("of 10000 requests"), std::string::npos) << budget->detail;
  for (std::string_view e : {"Companies", "Contacts", "Tickets", "TicketNotes", "ConfigurationItems", "Contracts",
                             "ContractCharges"}) {
    EXPECT_NE(check(*report, "permission:" + std::string(e)), nullptr) << e;
  }
}

TEST_F(AutotaskConnectionTest, EachAuthenticationFailureNamesWhatToFix) {
  struct Case {
    std::string credential, value, check, says;
  };
  for (const Case& c : std::vector<Case>{
           {"secret", "wrong-secret-value", "credentials", "credentials.secret"},
           {"username", "nobody@example.com", "credentials", "API User (system)"},
           {"integration_code", "WRONGCODE", "tracking_identifier", "credentials.integration_code"}}) {
    Tenant t = tenant_;
    t.credentials[c.credential] = c.value;
    auto report = at().test_connection(t, http_);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(report->ok) << c.credential;
    ASSERT_EQ(report->checks.size(), 1u) << c.credential << ": nothing else is checked";
    EXPECT_EQ(report->checks[0].name, c.check) << c.credential;
    EXPECT_NE(report->checks[0].detail.find(c.says), std::string::npos) << report->checks[0].detail;
    expect_no_secret(report->checks[0].detail);

    // A command meets the same failure: retried (the operator fixes it), with the same words.
    const WriteOutcome out = upsert(t, "conn-test-1");
    EXPECT_EQ(out.kind, WriteOutcome::Kind::Retryable) << c.credential << ": " << out.detail;
    EXPECT_NE(out.detail.find(c.says), std::string::npos) << out.detail;
    expect_no_secret(out.detail);
  }
}

TEST_F(AutotaskConnectionTest, AnEntityTheSecurityLevelCannotReadIsNamed) {
  sandbox::Fault forbidden;
  forbidden.status = 403;
  forbidden.retry_after_seconds = 0;
  forbidden.count = 0;
  forbidden.duration = std::chrono::seconds(30);
  forbidden.path = "/Contracts/query$";
  sandbox_.inject_fault("autotask", forbidden);
  auto report = at().test_connection(tenant_, http_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->ok);
  const ConnectionCheck* contracts = check(*report, "permission:Contracts");
  ASSERT_NE(contracts, nullptr);
  EXPECT_FALSE(contracts->ok);
  EXPECT_NE(contracts->detail.find("Security Levels"), std::string::npos) << contracts->detail;
  const ConnectionCheck* tickets = check(*report, "permission:Tickets");
  ASSERT_NE(tickets, nullptr);
  EXPECT_TRUE(tickets->ok) << "one entity's refusal is not another's";
}

TEST_F(AutotaskConnectionTest, AValidationFailureNamesTheFieldButNotTheValue) {
  sandbox::Fault invalid;
  invalid.status = 500;
  invalid.method = "POST";
  invalid.path = "/V1.0/Tickets$";
  invalid.body = R"({"errors":["Value 'jane.roe@acme.example' for field contactID is invalid: 'Jane Roe' is not a contact of the company."]})";
  sandbox_.inject_fault("autotask", invalid);
  const WriteOutcome out = upsert(tenant_, "conn-test-2");
  EXPECT_EQ(out.kind, WriteOutcome::Kind::Rejected) << out.detail;
  EXPECT_NE(out.detail.find("field contactID is invalid"), std::string::npos) << out.detail;
  EXPECT_EQ(out.detail.find("jane.roe"), std::string::npos) << out.detail;
  EXPECT_EQ(out.detail.find("Jane Roe"), std::string::npos) << out.detail;
}

}  // namespace
}  // namespace switchyard::connectors
