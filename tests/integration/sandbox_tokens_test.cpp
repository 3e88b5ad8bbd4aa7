// The sandbox's token schemes over real HTTP, through the token-protected echo PSAs:
// OAuth2 client credentials (HaloPSA style, oauth-echo) and the user/password exchange
// (Kaseya BMS / Pulseway style, password-echo). Tokens are issued and counted, expire
// (short lifetimes set through the C++ and control APIs), an expired, unknown or revoked
// token gets 401, revoked credentials are refused at the token endpoint, and secrets never
// reach the recorded writes or the request log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/http_client.h"
#include "psa-sandbox/json_value.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/token_echo/token_echo.h"

namespace switchyard::sandbox {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
namespace echo = token_echo;

constexpr const char* kForm = "application/x-www-form-urlencoded";

std::string str(std::string_view s) { return std::string(s); }

class SandboxTokensTest : public ::testing::Test {
 protected:
  SandboxTokensTest()
      : sandbox_(SandboxOptions{.request_log = [this](std::string_view line) {
          std::lock_guard lock(log_mu_);
          log_.emplace_back(line);
        }}) {}
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  Result<http::ClientResponse> post_form(const std::string& path, const std::string& form) {
    return client_.send({.method = "POST",
                         .url = sandbox_.base_url() + path,
                         .headers = {{"Content-Type", kForm}},
                         .body = form});
  }
  Result<http::ClientResponse> get_with(const std::string& path, const std::string& token) {
    http::Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return client_.send({.url = sandbox_.base_url() + path, .headers = std::move(headers)});
  }
  Result<http::ClientResponse> control(const std::string& path, const std::string& body = "{}") {
    return client_.send({.method = "POST", .url = sandbox_.base_url() + path, .body = body});
  }

  // oauth-echo: a token for the demo client, or "" when refused.
  std::string oauth_token(const std::string& secret = str(echo::kClientSecret)) {
    auto r = post_form("/oauth-echo/auth/token", "grant_type=client_credentials&client_id=" + str(echo::kClientId) +
                                                     "&client_secret=" + secret + "&scope=all");
    if (!r.ok() || r->status != 200) return {};
    auto body = parse_json(r->body);
    return body && body->find("access_token") ? body->find("access_token")->as_string() : std::string{};
  }
  int oauth_api(const std::string& token) { return get_with("/oauth-echo/api/Tickets", token)->status; }

  // password-echo: the envelope's AccessToken, or "" when refused.
  std::string bms_token(const std::string& password = str(echo::kPassword), const std::string& prefix = "") {
    auto r = post_form(prefix + "/password-echo/v2/security/authenticate",
                       "GrantType=password&UserName=" + http::url_encode(echo::kUserName) +
                           "&Password=" + password + "&Tenant=" + str(echo::kTenant));
    if (!r.ok() || r->status != 200) return {};
    auto body = parse_json(r->body);
    const Value* result = body ? body->find("Result") : nullptr;
    return result && result->find("AccessToken") ? result->find("AccessToken")->as_string() : std::string{};
  }
  int bms_api(const std::string& token) { return get_with("/password-echo/v2/servicedesk/tickets", token)->status; }

  std::vector<std::string> log() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  std::mutex log_mu_;
  std::vector<std::string> log_;
  Sandbox sandbox_;
  http::HttpClient client_;
};

TEST_F(SandboxTokensTest, ClientCredentialsTokenOpensTheApiAndIsCounted) {
  auto r = post_form("/oauth-echo/auth/token",
                     "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-client-secret&scope=all");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = parse_json(r->body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("token_type")->as_string(), "Bearer");
  EXPECT_EQ(body->find("expires_in")->as_int(), 3600);
  const std::string token = body->find("access_token")->as_string();
  ASSERT_FALSE(token.empty());

  auto echoed = get_with("/oauth-echo/api/Tickets?count=1", token);
  ASSERT_TRUE(echoed.ok());
  EXPECT_EQ(echoed->status, 200);
  EXPECT_THAT(echoed->body, HasSubstr("\"path\":\"/oauth-echo/api/Tickets\""));
  EXPECT_EQ(oauth_api(""), 401);
  EXPECT_EQ(oauth_api("not-a-token"), 401);

  const TokenStats stats = sandbox_.token_stats("oauth-echo");
  EXPECT_EQ(stats.token_requests, 1);
  EXPECT_EQ(stats.issued, 1);
  EXPECT_EQ(stats.live_tokens, 1);
  EXPECT_THROW(sandbox_.token_stats("connectwise"), std::out_of_range);  // no token scheme
}

TEST_F(SandboxTokensTest, ClientCredentialsRefusalsUseOAuthErrors) {
  auto wrong = post_form("/oauth-echo/auth/token",
                         "grant_type=client_credentials&client_id=sandbox-client&client_secret=nope");
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  EXPECT_THAT(wrong->body, HasSubstr("\"error\":\"invalid_client\""));
  auto grant = post_form("/oauth-echo/auth/token", "grant_type=password&client_id=sandbox-client&client_secret=x");
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->status, 400);
  EXPECT_THAT(grant->body, HasSubstr("unsupported_grant_type"));
  auto missing = post_form("/oauth-echo/auth/token", "grant_type=client_credentials");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 400);
  EXPECT_THAT(missing->body, HasSubstr("invalid_request"));
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").token_requests, 3);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").refused, 3);
}

TEST_F(SandboxTokensTest, AnExpiredTokenGets401AndOneRefreshOpensTheApiAgain) {
  sandbox_.set_token_lifetime("oauth-echo", 1s);
  const std::string first = oauth_token();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(oauth_api(first), 200);
  std::this_thread::sleep_for(1100ms);
  auto expired = get_with("/oauth-echo/api/Tickets", first);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, 401);
  EXPECT_THAT(expired->body, HasSubstr("expired"));
  EXPECT_EQ(expired->header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");

  const std::string second = oauth_token();
  EXPECT_EQ(oauth_api(second), 200);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").token_requests, 2);  // exactly one refresh

  // expire_tokens ends every token at once, without waiting out a lifetime.
  sandbox_.expire_tokens("oauth-echo");
  EXPECT_EQ(oauth_api(second), 401);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").live_tokens, 0);
}

TEST_F(SandboxTokensTest, ControlApiSetsLifetimeRevokesAndRestores) {
  auto lifetime = control("/_sandbox/tokens/oauth-echo/lifetime", R"({"seconds":5})");
  ASSERT_TRUE(lifetime.ok());
  ASSERT_EQ(lifetime->status, 200) << lifetime->body;
  EXPECT_THAT(lifetime->body, HasSubstr("\"lifetime_seconds\":5"));
  auto r = post_form("/oauth-echo/auth/token",
                     "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-client-secret");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->body, HasSubstr("\"expires_in\":5"));
  const std::string token = parse_json(r->body)->find("access_token")->as_string();

  auto revoked = control("/_sandbox/tokens/oauth-echo/revoke", R"({"credential":"sandbox-client"})");
  ASSERT_TRUE(revoked.ok());
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_THAT(revoked->body, HasSubstr("\"revoked\":[\"sandbox-client\"]"));
  EXPECT_EQ(oauth_api(token), 401);  // issued tokens stop working
  auto refused = post_form("/oauth-echo/auth/token",
                           "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-client-secret");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
  EXPECT_THAT(refused->body, HasSubstr("\"error\":\"invalid_grant\""));

  ASSERT_EQ(control("/_sandbox/tokens/oauth-echo/restore", R"({"credential":"sandbox-client"})")->status, 200);
  EXPECT_EQ(oauth_api(token), 401);  // tokens from before the revocation stay dead
  EXPECT_EQ(oauth_api(oauth_token()), 200);

  auto stats = client_.send({.url = sandbox_.base_url() + "/_sandbox/tokens/oauth-echo"});
  ASSERT_TRUE(stats.ok());
  EXPECT_THAT(stats->body, HasSubstr("\"token_requests\":3"));
  EXPECT_EQ(control("/_sandbox/tokens/oauth-echo/revoke", R"({"credential":"nobody"})")->status, 404);
  EXPECT_EQ(control("/_sandbox/tokens/connectwise/expire")->status, 404);
  EXPECT_EQ(control("/_sandbox/tokens/oauth-echo/lifetime", R"({"seconds":0})")->status, 400);

  // reset() forgets tokens, counts, revocations and the lifetime.
  ASSERT_EQ(control("/_sandbox/reset")->status, 200);
  const TokenStats after = sandbox_.token_stats("oauth-echo");
  EXPECT_EQ(after.token_requests, 0);
  EXPECT_EQ(after.lifetime, 3600s);
  EXPECT_TRUE(after.revoked.empty());
}

TEST_F(SandboxTokensTest, PasswordExchangeAnswersBmsEnvelopes) {
  auto r = post_form("/password-echo/v2/security/authenticate",
                     "GrantType=password&UserName=api%40switchyard.test&Password=demo-password&Tenant=switchyard_demo");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = parse_json(r->body);
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->find("Success")->as_bool());
  EXPECT_TRUE(body->find("Error")->is_null());
  const Value* result = body->find("Result");
  ASSERT_NE(result, nullptr);
  for (const char* field : {"AccessToken", "RefreshToken", "AccessTokenExpireOn", "RefreshTokenExpireOn"}) {
    EXPECT_NE(result->find(field), nullptr) << field;
  }
  const std::string token = result->find("AccessToken")->as_string();
  auto echoed = get_with("/password-echo/v2/servicedesk/tickets", token);
  ASSERT_TRUE(echoed.ok());
  EXPECT_EQ(echoed->status, 200);
  EXPECT_THAT(echoed->body, HasSubstr("\"Success\":true"));

  // Field names in client code's camelCase are accepted too, and tenants' prefixes work.
  auto camel = post_form("/tenants/t1/password-echo/v2/security/authenticate",
                         "grantType=password&userName=api%40switchyard.test&password=demo-password&tenant=switchyard_demo");
  ASSERT_TRUE(camel.ok());
  EXPECT_EQ(camel->status, 200) << camel->body;

  auto wrong = post_form("/password-echo/v2/security/authenticate",
                         "GrantType=password&UserName=api%40switchyard.test&Password=nope&Tenant=switchyard_demo");
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  EXPECT_THAT(wrong->body, HasSubstr("\"Success\":false"));
  EXPECT_THAT(wrong->body, HasSubstr("\"Code\":401"));
  auto other_tenant = post_form("/password-echo/v2/security/authenticate",
                                "GrantType=password&UserName=api%40switchyard.test&Password=demo-password&Tenant=x");
  EXPECT_EQ(other_tenant->status, 401);
  auto no_grant = post_form("/password-echo/v2/security/authenticate", "UserName=a&Password=b&Tenant=c");
  EXPECT_EQ(no_grant->status, 400);
  EXPECT_EQ(bms_api(""), 401);
  EXPECT_EQ(sandbox_.token_stats("password-echo").token_requests, 5);
  EXPECT_EQ(sandbox_.token_stats("password-echo").issued, 2);
}

// Every issued token (access and refresh) is listed, in the C++ and the control API, so a
// secret scan can look for each one; reset() forgets them.
TEST_F(SandboxTokensTest, IssuedTokensAreListedForSecretScans) {
  const std::string first = oauth_token();
  const std::string second = oauth_token();
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_TRUE(oauth_token("wrong-secret").empty());  // refused: nothing issued

  const auto issued = sandbox_.issued_tokens("oauth-echo");
  ASSERT_EQ(issued.size(), 2u);
  EXPECT_EQ(issued[0].access_token, first);
  EXPECT_EQ(issued[1].access_token, second);
  EXPECT_FALSE(issued[0].refresh_token.empty());
  EXPECT_NE(issued[0].refresh_token, issued[1].refresh_token);

  auto listed = client_.send({.url = sandbox_.base_url() + "/_sandbox/tokens/oauth-echo/issued"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->status, 200) << listed->body;
  auto body = parse_json(listed->body);
  ASSERT_TRUE(body && body->find("tokens") && body->find("tokens")->is_array()) << listed->body;
  const auto& tokens = body->find("tokens")->as_array();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].find("access_token")->as_string(), second);
  EXPECT_EQ(tokens[1].find("refresh_token")->as_string(), issued[1].refresh_token);
  auto none = client_.send({.url = sandbox_.base_url() + "/_sandbox/tokens/connectwise/issued"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 404);

  sandbox_.reset();
  EXPECT_TRUE(sandbox_.issued_tokens("oauth-echo").empty());
}

TEST_F(SandboxTokensTest, PasswordTokensExpireAndRevokedUsersAreRefused) {
  ASSERT_EQ(control("/_sandbox/tokens/password-echo/lifetime", R"({"seconds":1})")->status, 200);
  const std::string first = bms_token();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(bms_api(first), 200);
  std::this_thread::sleep_for(1100ms);
  auto expired = get_with("/password-echo/v2/servicedesk/tickets", first);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, 401);
  EXPECT_THAT(expired->body, HasSubstr("\"Success\":false"));
  const std::string second = bms_token();
  EXPECT_EQ(bms_api(second), 200);
  EXPECT_EQ(sandbox_.token_stats("password-echo").token_requests, 2);  // exactly one refresh

  EXPECT_TRUE(sandbox_.revoke_credential("password-echo", echo::kUserName));
  EXPECT_EQ(bms_api(second), 401);
  EXPECT_EQ(bms_token(), "");
  EXPECT_FALSE(sandbox_.revoke_credential("password-echo", "nobody"));
  EXPECT_TRUE(sandbox_.restore_credential("password-echo", echo::kUserName));
  EXPECT_EQ(bms_api(bms_token()), 200);
}

TEST_F(SandboxTokensTest, TokenEndpointsTakeFaultsAndKeepSecretsOutOfWritesAndLogs) {
  // A token provider must survive a throttled token endpoint: the fault answers before the
  // endpoint, so only the retry counts as a token request.
  sandbox_.inject_fault("oauth-echo", Fault{.status = 429, .retry_after_seconds = 1, .count = 1, .path = "/auth/token$"});
  EXPECT_EQ(oauth_token(), "");
  const std::string token = oauth_token();
  EXPECT_FALSE(token.empty());
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").token_requests, 1);
  EXPECT_FALSE(bms_token().empty());

  for (const auto& w : sandbox_.writes()) {
    EXPECT_THAT(w.body, Not(HasSubstr(str(echo::kClientSecret))));
    EXPECT_THAT(w.body, Not(HasSubstr(str(echo::kPassword))));
  }
  EXPECT_EQ(oauth_api(token), 200);
  ASSERT_FALSE(log().empty());
  for (const auto& line : log()) {
    EXPECT_THAT(line, Not(HasSubstr(str(echo::kClientSecret))));
    EXPECT_THAT(line, Not(HasSubstr(str(echo::kPassword))));
    EXPECT_THAT(line, Not(HasSubstr(token)));
  }
}

}  // namespace
}  // namespace switchyard::sandbox
