// The shared token provider against the sandbox's OAuth2 token endpoint (client credentials,
// HaloPSA style), over real HTTP and a real redis-server: separate processes asking at once
// get one token (exactly one token request), a short-lived token is refreshed, and revoked
// credentials suspend the tenant without the endpoint being called again until it is resumed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "common/http_client.h"
#include "common/redis_client.h"
#include "connectors/auth/oauth_client_credentials.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/token_echo/token_echo.h"
#include "support/redis_server.h"

namespace switchyard::connectors::auth {
namespace {

using namespace std::chrono_literals;
namespace echo = sandbox::token_echo;

// PsaHttp straight over HTTP (the engines add limits, metrics and heartbeats around it).
class PlainHttp : public PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override { return client_.send(request); }

 private:
  http::HttpClient client_;
};

OAuthClientCredentials halo_style_source() {
  OAuthClientCredentialsSettings s;
  s.token_url = [](const Tenant& t) {  // ".../api" → ".../auth/token", as HaloPSA lays them out
    return t.base_url.substr(0, t.base_url.rfind("/api")) + "/auth/token";
  };
  s.scope = "all";
  s.advice = "the PSA refused the application's client ID and secret: check credentials.client_id and "
             "credentials.client_secret";
  return OAuthClientCredentials(std::move(s));
}

class OAuthTokenTest : public ::testing::Test {
 protected:
  OAuthTokenTest() {
    sandbox_.start();
    tenant_.id = "halo1";
    tenant_.psa = "oauth-echo";
    tenant_.base_url = sandbox_.psa_base_url("oauth-echo");
    tenant_.credentials = {{"client_id", std::string(echo::kClientId)},
                           {"client_secret", std::string(echo::kClientSecret)}};
  }
  ~OAuthTokenTest() override { sandbox_.stop(); }

  // One API call as a replica makes it: token from the provider, 401 retried once.
  Result<http::ClientResponse> call(TokenProvider& provider, PsaHttp& http) {
    TokenAuthPsaHttp authorized(http, provider, tenant_, &source_);
    return authorized.send({.method = "GET", .url = tenant_.base_url + "/Tickets"});
  }

  testing::RedisServer redis_;
  sandbox::Sandbox sandbox_;
  OAuthClientCredentials source_ = halo_style_source();
  Tenant tenant_;
};

TEST_F(OAuthTokenTest, ProcessesAskingAtOnceMakeOneTokenRequest) {
  constexpr int kProcesses = 6;
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // a replica: its own Redis connection and HTTP client
      close(start[1]);
      char go;
      if (read(start[0], &go, 1) != 1) _exit(3);
      RedisClient redis(redis_.settings());
      TokenProvider provider(redis);
      PlainHttp http;
      auto answer = call(provider, http);
      _exit(answer.ok() && answer->status == 200 ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(start[0]);
  const std::string go(kProcesses, 'g');
  ASSERT_EQ(write(start[1], go.data(), go.size()), kProcesses);  // all at once
  close(start[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a replica's call failed";
  }
  const auto stats = sandbox_.token_stats("oauth-echo");
  EXPECT_EQ(stats.token_requests, 1) << "exactly one process may call the token endpoint";
  EXPECT_EQ(stats.issued, 1);
}

TEST_F(OAuthTokenTest, AShortLivedTokenIsRefreshedAndRevokedCredentialsSuspendTheTenant) {
  sandbox_.set_token_lifetime("oauth-echo", 2s);
  RedisClient redis(redis_.settings());
  TokenProvider provider(redis, {.refresh_before = 1000ms});
  PlainHttp http;
  ASSERT_EQ(call(provider, http).value().status, 200);
  ASSERT_EQ(call(provider, http).value().status, 200);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").issued, 1);
  std::this_thread::sleep_for(1200ms);  // under a second left: refreshed before it expires
  ASSERT_EQ(call(provider, http).value().status, 200);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").issued, 2);

  // The partner deletes the API application: the token dies and new ones are refused.
  ASSERT_TRUE(sandbox_.revoke_credential("oauth-echo", echo::kClientId));
  auto refused = call(provider, http);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "auth_suspended");
  EXPECT_NE(refused.error().message.find("credentials.client_secret"), std::string::npos);
  const int64_t requests = sandbox_.token_stats("oauth-echo").token_requests;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(call(provider, http).error().code, "auth_suspended");
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").token_requests, requests)
      << "a suspended tenant must not call the token endpoint again";

  // Fixed in the PSA, then a connection test succeeds: resumed.
  ASSERT_TRUE(sandbox_.restore_credential("oauth-echo", echo::kClientId));
  ASSERT_TRUE(provider.resume(tenant_).ok());
  EXPECT_EQ(call(provider, http).value().status, 200);
}

}  // namespace
}  // namespace switchyard::connectors::auth
