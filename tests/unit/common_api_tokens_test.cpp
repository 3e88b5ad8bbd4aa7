// The API tokens file and the bearer check every authenticated endpoint applies: a token acts
// only for its tenants and scopes; the file is validated strictly, every error names the entry
// and field, and no error ever contains a token.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/api_tokens.h"
#include "common/bearer_auth.h"
#include "common/env.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

// Distinctive token values: none may ever show up in an error message.
constexpr std::string_view kVendor = "T0KEN-vendor-literal-aa11bb22";
constexpr std::string_view kAcme = "T0KEN-acme-from-env-cc33dd44";
constexpr std::string_view kOps = "T0KEN-ops-from-file-ee55ff66";

class ApiTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("switchyard-tokens-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    token_file_ = (dir_ / "ops-token").string();
    std::ofstream(token_file_) << kOps << "\n";
    vars_ = {{"ACME_TOKEN", std::string(kAcme)}};
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Env env() const {
    return testing::env_of(vars_);
  }

  // Three entries: a literal for every tenant, an env reference for two tenants, a file
  // reference with read and admin only. `replace` swaps one fragment to make a broken variant.
  std::string file(const std::string& from = "", const std::string& to = "") const {
    std::string text = R"({"tokens": [
      {"id": "vendor-platform", "token": ")" + std::string(kVendor) + R"(", "tenants": ["*"], "scopes": ["commands"]},
      {"id": "acme.portal", "token": {"env": "ACME_TOKEN"}, "tenants": ["acme", "globex"], "scopes": ["commands", "read"]},
      {"id": "ops", "token": {"file": ")" + token_file_ + R"("}, "tenants": ["acme"], "scopes": ["read", "admin"]}
    ]})";
    if (!from.empty()) {
      const size_t at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) text.replace(at, from.size(), to);
    }
    return text;
  }

  Result<ApiTokens> parse(const std::string& json) const { return parse_api_tokens(json, env()); }

  void expect_error(const std::string& json, const std::string& field) const {
    auto r = parse(json);
    ASSERT_FALSE(r.ok()) << "expected an error naming " << field;
    EXPECT_NE(r.error().message.find(field), std::string::npos) << "does not name " << field << ": " << r.error().message;
    EXPECT_EQ(r.error().message.find("T0KEN"), std::string::npos) << "token leaked into: " << r.error().message;
  }

  std::filesystem::path dir_;
  std::string token_file_;
  std::map<std::string, std::string> vars_;
};

TEST_F(ApiTokensTest, ValidFileLoadsEveryForm) {
  auto r = parse(file());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->all().size(), 3u);

  const ApiToken* vendor = r->find(kVendor);
  ASSERT_NE(vendor, nullptr);
  EXPECT_EQ(vendor->id, "vendor-platform");
  EXPECT_TRUE(vendor->all_tenants);
  EXPECT_TRUE(vendor->allows_tenant("anyone"));
  EXPECT_TRUE(vendor->has_scope(ApiScope::Commands));
  EXPECT_FALSE(vendor->has_scope(ApiScope::Read));

  const ApiToken* acme = r->find(kAcme);  // {"env": ...}
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->id, "acme.portal");
  EXPECT_TRUE(acme->allows_tenant("acme"));
  EXPECT_TRUE(acme->allows_tenant("globex"));
  EXPECT_FALSE(acme->allows_tenant("initech"));
  EXPECT_FALSE(acme->allows_tenant("*"));  // "*" is not a tenant a request can name

  const ApiToken* ops = r->find(kOps);  // {"file": ...}, trailing newline dropped
  ASSERT_NE(ops, nullptr);
  EXPECT_EQ(ops->id, "ops");
  EXPECT_TRUE(ops->has_scope(ApiScope::Admin));
  EXPECT_FALSE(ops->has_scope(ApiScope::Commands));
}

TEST_F(ApiTokensTest, OnlyTheExactTokenMatches) {
  auto r = parse(file());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string vendor(kVendor);
  EXPECT_EQ(r->find(""), nullptr);
  EXPECT_EQ(r->find(vendor.substr(0, vendor.size() - 1)), nullptr);  // a prefix
  EXPECT_EQ(r->find(vendor + "x"), nullptr);                         // an extension
  EXPECT_EQ(r->find(std::string(kOps) + "\n"), nullptr);
  std::string flipped = vendor;
  flipped.back() = 'X';
  EXPECT_EQ(r->find(flipped), nullptr);
}

TEST_F(ApiTokensTest, BearerCheckCoversTenantAndScope) {
  auto r = parse(file());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string bearer_acme = "Bearer " + std::string(kAcme);

  auto ok = authorize_bearer(*r, bearer_acme, "globex", ApiScope::Commands);
  ASSERT_TRUE(ok.allowed());
  EXPECT_EQ(ok.token->id, "acme.portal");

  auto missing = authorize_bearer(*r, "", "acme", ApiScope::Commands);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.reason, "missing_token");
  EXPECT_EQ(missing.response().status, 401);
  EXPECT_EQ(http::find_header(missing.response().headers, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(authorize_bearer(*r, "Bearer ", "acme", ApiScope::Commands).status, 401);
  EXPECT_EQ(authorize_bearer(*r, "Basic " + std::string(kAcme), "acme", ApiScope::Commands).status, 401);

  auto unknown = authorize_bearer(*r, "Bearer not-a-configured-token", "acme", ApiScope::Commands);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.reason, "unknown_token");

  auto other_tenant = authorize_bearer(*r, bearer_acme, "initech", ApiScope::Commands);
  EXPECT_EQ(other_tenant.status, 403);
  EXPECT_EQ(other_tenant.reason, "tenant_not_allowed");
  EXPECT_EQ(other_tenant.response().status, 403);
  EXPECT_NE(other_tenant.response().body.find("\"forbidden\""), std::string::npos);

  auto other_scope = authorize_bearer(*r, bearer_acme, "acme", ApiScope::Replay);
  EXPECT_EQ(other_scope.status, 403);
  EXPECT_EQ(other_scope.reason, "scope_not_allowed");

  // The ops token reads and administers acme, and posts nothing.
  EXPECT_TRUE(authorize_bearer(*r, "Bearer " + std::string(kOps), "acme", ApiScope::Read).allowed());
  EXPECT_EQ(authorize_bearer(*r, "Bearer " + std::string(kOps), "acme", ApiScope::Commands).status, 403);
  EXPECT_TRUE(authorize_bearer(*r, "Bearer " + std::string(kVendor), "initech", ApiScope::Commands).allowed());
}

TEST_F(ApiTokensTest, ErrorsNameTheEntryAndField) {
  expect_error(file(R"("scopes": ["read", "admin"])", R"("scopes": ["read", "write"])"), "tokens[2] (id \"ops\").scopes[1]");
  expect_error(file(R"("scopes": ["read", "admin"])", R"("scopes": [])"), "tokens[2] (id \"ops\").scopes");
  expect_error(file(R"("scopes": ["read", "admin"])", R"("scopes": ["read", "read"])"), "tokens[2] (id \"ops\").scopes[1]");
  expect_error(file(R"("tenants": ["acme"], "scopes": ["read")", R"("tenants": [], "scopes": ["read")"),
               "tokens[2] (id \"ops\").tenants");
  expect_error(file(R"("tenants": ["*"])", R"("tenants": ["*", "acme"])"), "tokens[0] (id \"vendor-platform\").tenants[0]");
  expect_error(file(R"("tenants": ["acme", "globex"])", R"("tenants": ["acme", "Globex Inc"])"),
               "tokens[1] (id \"acme.portal\").tenants[1]");
  expect_error(file(R"("tenants": ["acme", "globex"])", R"("tenants": "acme")"), "tokens[1] (id \"acme.portal\").tenants");
  expect_error(file(R"("id": "ops")", R"("id": "vendor-platform")"), "tokens[2] (id \"vendor-platform\").id");
  expect_error(file(R"("id": "ops")", R"("id": "ops team")"), "tokens[2].id");
  expect_error(file(R"("id": "ops", )", ""), "tokens[2].id");
  expect_error(file(R"("tenants": ["*"])", R"("tenants": ["*"], "expires": "2027-01-01")"),
               "tokens[0] (id \"vendor-platform\").expires");
  expect_error(file(R"({"env": "ACME_TOKEN"})", R"({"env": "NOT_SET_ANYWHERE"})"), "tokens[1] (id \"acme.portal\").token");
  expect_error(file(R"({"env": "ACME_TOKEN"})", R"({"vault": "ACME_TOKEN"})"), "tokens[1] (id \"acme.portal\").token");
  expect_error(file(R"("token": {"env": "ACME_TOKEN"}, )", ""), "tokens[1] (id \"acme.portal\").token");
  expect_error(R"({"tokens": []})", "tokens");
  expect_error(R"({"tokens": {}})", "tokens");
  expect_error(R"({"tokens": [], "version": 2})", "version");
  expect_error(R"([])", "(root)");
}

TEST_F(ApiTokensTest, ShortOrSharedTokensAreRefusedWithoutEchoingThem) {
  // 15 characters: one short of the minimum.
  expect_error(file(std::string(kVendor), "T0KEN-15-chars!"), "tokens[0] (id \"vendor-platform\").token");
  auto short_token = parse(file(std::string(kVendor), "T0KEN-15-chars!"));
  ASSERT_FALSE(short_token.ok());
  EXPECT_NE(short_token.error().message.find("16"), std::string::npos) << short_token.error().message;
  EXPECT_TRUE(parse(file(std::string(kVendor), "T0KEN-16-chars!!")).ok());

  // The same token twice: which id to log, and which rights apply, would be ambiguous.
  vars_["ACME_TOKEN"] = std::string(kVendor);
  expect_error(file(), "tokens[1] (id \"acme.portal\").token");
}

TEST_F(ApiTokensTest, TheOldOneTokenPerLineFormatIsRefused) {
  auto r = parse(std::string(kVendor) + "\n" + std::string(kAcme) + "\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tokens"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("T0KEN"), std::string::npos) << r.error().message;
}

TEST_F(ApiTokensTest, LoadFileThrowsConfigErrorNamingTheVariableAndFile) {
  const std::string path = (dir_ / "api-tokens.json").string();
  std::ofstream(path) << file(R"("scopes": ["read", "admin"])", R"("scopes": ["root"])");
  try {
    (void)load_api_tokens_file(path, env());
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("SWITCHYARD_API_TOKENS_FILE"), std::string::npos) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("tokens[2] (id \"ops\").scopes[0]"), std::string::npos) << message;
    EXPECT_EQ(message.find("T0KEN"), std::string::npos) << message;
  }
  EXPECT_THROW((void)load_api_tokens_file((dir_ / "absent.json").string(), env()), ConfigError);
  std::ofstream(path) << file();
  EXPECT_EQ(load_api_tokens_file(path, env()).all().size(), 3u);
}

}  // namespace
}  // namespace switchyard
