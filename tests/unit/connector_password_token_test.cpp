// PasswordTokenExchange (the v2 API's /v2/security/authenticate, Kaseya BMS and Pulseway PSA)
// against scripted answers: the form it sends, an error inside an HTTP 200 envelope, keys in
// either casing, the expiry read from AccessTokenExpireOn, and no secret in any error.
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "connectors/auth/password_token_exchange.h"
#include "support/fake_psa_http.h"

namespace switchyard::connectors::auth {
namespace {

constexpr std::string_view kPassword = "p@ss w0rd&=SECRET";

class PasswordTokenTest : public ::testing::Test {
 protected:
  PasswordTokenTest() {
    tenant_.id = "bms1";
    tenant_.base_url = "https://bms.example/api/v2";
    tenant_.credentials = {{"username", "api@msp.example"}, {"password", std::string(kPassword)}, {"company", "Acme MSP"}};
  }
  Result<IssuedToken> issue() { return source_.issue(tenant_, psa_, ""); }

  static PasswordTokenExchange make_source() {
    PasswordTokenExchangeSettings s;
    s.token_url = [](const Tenant& t) { return t.base_url + "/security/authenticate"; };
    s.advice = "check the API user";
    return PasswordTokenExchange(std::move(s));
  }

  Tenant tenant_;
  testing::FakePsaHttp psa_;
  PasswordTokenExchange source_ = make_source();
};

std::string in(std::chrono::seconds s) { return format_rfc3339_utc_seconds(std::chrono::system_clock::now() + s); }

TEST_F(PasswordTokenTest, SendsTheFormAndReadsTheEnvelope) {
  psa_.reply(200, R"({"Success":true,"Error":null,"Result":{"AccessToken":"tok-1","RefreshToken":"ref-1",)"
                  R"("AccessTokenExpireOn":")" + in(std::chrono::seconds(1800)) + R"("}})");
  auto token = issue();
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->access_token, "tok-1");
  EXPECT_EQ(token->refresh_token, "ref-1");
  EXPECT_GT(token->expires_in.count(), 1790);
  EXPECT_LE(token->expires_in.count(), 1800);
  ASSERT_EQ(psa_.requests.size(), 1u);
  const auto& r = psa_.requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://bms.example/api/v2/security/authenticate");
  EXPECT_EQ(r.body, "GrantType=password&UserName=api%40msp.example&Password=p%40ss%20w0rd%26%3DSECRET&Tenant=Acme%20MSP");
}

TEST_F(PasswordTokenTest, KeysInCamelCaseAreReadToo) {
  psa_.reply(200, R"({"success":true,"error":null,"result":{"accessToken":"tok-2"}})");
  auto token = issue();
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->access_token, "tok-2");
  EXPECT_EQ(token->expires_in, std::chrono::seconds(3600));  // no expiry given: the usual hour
}

TEST_F(PasswordTokenTest, AFailureInsideA200IsAnError) {
  psa_.reply(200, R"({"Success":false,"Error":{"Code":401,"Message":"Invalid user name, password or tenant"},"Result":null})");
  auto refused = issue();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kBadCredentials);
  EXPECT_NE(refused.error().message.find("Invalid user name"), std::string::npos);

  psa_.reply(200, R"({"Success":false,"Error":{"Code":500,"Message":"Database busy"},"Result":null})");
  auto failed = issue();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "token_endpoint_failed");  // not the credentials: tried again later

  psa_.reply(200, R"({"Success":true,"Error":null,"Result":{}})");
  EXPECT_EQ(issue().error().code, "token_endpoint_failed");
  psa_.reply(200, "<html>maintenance</html>");
  EXPECT_EQ(issue().error().code, "token_endpoint_failed");
}

TEST_F(PasswordTokenTest, A401IsBadCredentialsAndA5xxIsNot) {
  psa_.reply(401, R"({"Success":false,"Error":{"Code":401,"Message":"The user's access has been revoked"}})");
  EXPECT_EQ(issue().error().code, kBadCredentials);
  psa_.reply(503, "");
  EXPECT_EQ(issue().error().code, "token_endpoint_failed");
}

TEST_F(PasswordTokenTest, MissingCredentialsAreNamedAndNoSecretIsEverInAnError) {
  psa_.reply(401, R"({"Success":false,"Error":{"Code":401,"Message":"no"}})");
  psa_.reply(500, R"({"Success":false,"Error":{"Code":500,"Message":"boom"}})");
  for (int i = 0; i < 2; ++i) {
    auto r = issue();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos) << r.error().message;
  }
  tenant_.credentials.erase("company");
  auto missing = issue();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kBadCredentials);
  EXPECT_NE(missing.error().message.find("credentials.company"), std::string::npos);
  EXPECT_EQ(psa_.requests.size(), 2u);  // not called without credentials
}

}  // namespace
}  // namespace switchyard::connectors::auth
