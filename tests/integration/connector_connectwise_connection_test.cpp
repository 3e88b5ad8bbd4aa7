// ConnectWise's connection test against the sandbox over real HTTP: a healthy tenant passes every
// check; refused keys say which settings to check and stop there; a security role without a
// resource names the role item to grant; the API version is pinned in Accept; a role wider than
// the set-up guide's is a warning, never a failure.
#include <gtest/gtest.h>

#include <map>

#include "common/http_client.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors {
namespace {

using testing::RecordingHttp;

class ConnectWiseConnectionTest : public ::testing::Test {
 protected:
  ConnectWiseConnectionTest() {
    sandbox_.start();
    tenant_ = testing::connectwise_sandbox_tenant(sandbox_);
  }
  ~ConnectWiseConnectionTest() override { sandbox_.stop(); }

  ConnectionReport test() {
    auto r = builtin_registry().find("connectwise")->test_connection(tenant_, http_);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ConnectionReport{};
  }
  static const ConnectionCheck* check(const ConnectionReport& r, const std::string& name) {
    for (const auto& c : r.checks) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(ConnectWiseConnectionTest, AHealthyTenantPassesEveryCheck) {
  const auto report = test();
  EXPECT_TRUE(report.ok);
  for (const std::string name : {"credentials", "api_version", "permission:tickets", "permission:companies",
                                 "permission:contacts", "permission:agreements", "permission:configurations",
                                 "permission:callbacks"}) {
    const auto* c = check(report, name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_TRUE(c->ok) << name << ": " << c->detail;
  }
  EXPECT_NE(check(report, "api_version")->detail.find("2025.8"), std::string::npos);
  for (const auto& request : http_.requests) {
    EXPECT_EQ(http::find_header(request.headers, "Accept"), "application/vnd.connectwise.com+json; version=2025.8");
  }
}

TEST_F(ConnectWiseConnectionTest, RefusedKeysSayWhatToCheckAndStopThere) {
  tenant_.credentials["private_key"] = "WRONG-private-key-zz9";
  const auto report = test();
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.checks.size(), 1u);
  EXPECT_EQ(report.checks[0].name, "credentials");
  EXPECT_NE(report.checks[0].detail.find("credentials.private_key"), std::string::npos);
  EXPECT_NE(report.checks[0].detail.find("API Members"), std::string::npos);
  EXPECT_EQ(report.checks[0].detail.find("WRONG-private-key"), std::string::npos) << "a secret in the report";
  EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(ConnectWiseConnectionTest, AMissingPermissionNamesTheRoleItem) {
  sandbox::Fault forbidden;
  forbidden.status = 403;
  forbidden.count = 0;
  forbidden.duration = std::chrono::seconds(60);
  forbidden.path = "/finance/agreements";
  sandbox_.inject_fault("connectwise", forbidden);
  const auto report = test();
  EXPECT_FALSE(report.ok);
  const auto* agreements = check(report, "permission:agreements");
  ASSERT_NE(agreements, nullptr);
  EXPECT_FALSE(agreements->ok);
  EXPECT_NE(agreements->detail.find("Finance › Agreements"), std::string::npos) << agreements->detail;
  EXPECT_TRUE(check(report, "permission:tickets")->ok);
  EXPECT_TRUE(check(report, "credentials")->ok);
}

TEST_F(ConnectWiseConnectionTest, TheLeastPrivilegedRoleOfStepOneDrawsNoWarning) {
  const auto report = test();
  EXPECT_TRUE(report.ok);
  EXPECT_TRUE(report.warnings.empty()) << report.warnings.front().code << ": " << report.warnings.front().message;
  bool asked = false;
  for (const auto& request : http_.requests) asked |= request.url.find("/system/mySecurity") != std::string::npos;
  EXPECT_TRUE(asked) << "the member's own security levels are read";
}

TEST_F(ConnectWiseConnectionTest, AnAdminRoleIsWarnedAboutButDoesNotFail) {
  // As the stock Admin role has them: security roles editable, tickets deletable, companies addable.
  sandbox_.upsert_record("connectwise", "mySecurity", R"({"id":8,"addLevel":"All","editLevel":"All","deleteLevel":"All"})");
  sandbox_.upsert_record("connectwise", "mySecurity", R"({"id":1,"deleteLevel":"All"})");
  sandbox_.upsert_record("connectwise", "mySecurity", R"({"id":3,"addLevel":"All","editLevel":"My"})");
  const auto report = test();
  EXPECT_TRUE(report.ok) << "a warning is not a failure";
  std::map<std::string, std::string> by_code;
  for (const auto& w : report.warnings) by_code[w.code] = w.message;
  ASSERT_EQ(by_code.size(), 3u);
  EXPECT_NE(by_code[std::string(kPrivilegeAdmin)].find("System › Security Roles"), std::string::npos)
      << by_code[std::string(kPrivilegeAdmin)];
  const std::string& deletes = by_code[std::string(kPrivilegeDelete)];
  EXPECT_NE(deletes.find("Service Desk › Service Tickets"), std::string::npos) << deletes;
  EXPECT_NE(deletes.find("System › Security Roles"), std::string::npos) << deletes;
  EXPECT_EQ(deletes.find("Table Setup"), std::string::npos) << "callbacks are removed: Table Setup needs Delete";
  EXPECT_NE(by_code[std::string(kPrivilegeUnused)].find("Companies › Company Maintenance"), std::string::npos)
      << by_code[std::string(kPrivilegeUnused)];
  for (const auto& w : report.warnings) {
    EXPECT_EQ(w.message.find(tenant_.credentials["private_key"]), std::string::npos) << "no secret";
  }
}

TEST_F(ConnectWiseConnectionTest, AnUnreachablePsaIsNoVerdict) {
  sandbox::Fault down;
  down.status = 503;
  down.count = 0;
  down.duration = std::chrono::seconds(60);
  sandbox_.inject_fault("connectwise", down);
  auto r = builtin_registry().find("connectwise")->test_connection(tenant_, http_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "psa_unavailable");
}

}  // namespace
}  // namespace switchyard::connectors
