// The shared token provider against each token scheme the sandbox imitates (OAuth2 client
// credentials, HaloPSA style; the user/password exchange of the v2 API of Kaseya BMS and
// Pulseway PSA), over real HTTP and a real redis-server: separate processes asking at once get
// one token (exactly one token request), a short-lived token is refreshed, and revoked
// credentials suspend the tenant without the endpoint being called again until it is resumed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <thread>
#include <map>
#include <memory>
#include <vector>

#include "common/http_client.h"
#include "common/crypto.h"
#include "common/redis_client.h"
#include "common/secret_box.h"
#include "connectors/auth/oauth_client_credentials.h"
#include "connectors/auth/password_token_exchange.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/token_echo/token_echo.h"
#include "support/redis_server.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors::auth {
namespace {

using namespace std::chrono_literals;
namespace echo = sandbox::token_echo;

using PlainHttp = testing::RecordingHttp;

// One token scheme as a connector would configure it, with the sandbox PSA that imitates it.
struct Scheme {
  std::string psa;                                     // the sandbox's echo PSA
  std::function<std::unique_ptr<TokenSource>()> make;  // the connector's TokenSource
  std::map<std::string, std::string> credentials;
  std::string revocable;  // the credential the sandbox revokes (client id, user name)
  std::string advice;     // what the suspension reason must name
  // A short token lifetime, and a wait after which less than a second of it is left. The v2 API
  // states the expiry as an instant in whole seconds, so its lifetime is known to a second less.
  std::chrono::seconds lifetime;
  std::chrono::milliseconds until_refresh;
};

// Printed by name (the generated test names and failure messages), not as raw bytes.
void PrintTo(const Scheme& scheme, std::ostream* os) { *os << scheme.psa; }

std::unique_ptr<TokenSource> halo_style_source() {
  OAuthClientCredentialsSettings s;
  s.token_url = [](const Tenant& t) {  // ".../api" → ".../auth/token", as HaloPSA lays them out
    return t.base_url.substr(0, t.base_url.rfind("/api")) + "/auth/token";
  };
  s.scope = "all";
  s.advice = "the PSA refused the application's client ID and secret: check credentials.client_id and "
             "credentials.client_secret";
  return std::make_unique<OAuthClientCredentials>(std::move(s));
}

std::unique_ptr<TokenSource> v2_api_source() {
  PasswordTokenExchangeSettings s;
  s.token_url = [](const Tenant& t) { return t.base_url + "/security/authenticate"; };  // base: ".../v2"
  s.advice = "the PSA refused the API user: check credentials.username, credentials.password and credentials.company";
  return std::make_unique<PasswordTokenExchange>(std::move(s));
}

std::vector<Scheme> schemes() {
  return {
      {"oauth-echo", halo_style_source,
       {{"client_id", std::string(echo::kClientId)}, {"client_secret", std::string(echo::kClientSecret)}},
       std::string(echo::kClientId), "credentials.client_secret", 2s, 1200ms},
      {"password-echo", v2_api_source,
       {{"username", std::string(echo::kUserName)},
        {"password", std::string(echo::kPassword)},
        {"company", std::string(echo::kTenant)}},
       std::string(echo::kUserName), "credentials.password", 3s, 2200ms},
  };
}

class TokenSchemeTest : public ::testing::TestWithParam<Scheme> {
 public:
  TokenSchemeTest() : source_(GetParam().make()) {
    sandbox_.start();
    tenant_.id = "token1";
    tenant_.psa = GetParam().psa;
    tenant_.base_url = sandbox_.psa_base_url(GetParam().psa);
    tenant_.credentials = GetParam().credentials;
  }
  ~TokenSchemeTest() override { sandbox_.stop(); }

  // One API call as a replica makes it: token from the provider, 401 retried once.
  Result<http::ClientResponse> call(TokenProvider& provider, PsaHttp& http) {
    TokenAuthPsaHttp authorized(http, provider, tenant_, source_.get());
    return authorized.send({.method = "GET", .url = tenant_.base_url + "/Tickets"});
  }

  testing::RedisServer redis_;
  sandbox::Sandbox sandbox_;
  std::unique_ptr<TokenSource> source_;
  Tenant tenant_;
};

// One replica's call: its own Redis connection, token provider and HTTP client.
bool replica_call(TokenSchemeTest& test, const RedisSettings& settings);

TEST_P(TokenSchemeTest, ProcessesAskingAtOnceMakeOneTokenRequest) {
  constexpr int kReplicas = 6;
  // Replicas share the at-rest keys (SWITCHYARD_SECRET_KEYS_FILE), or none could open the token
  // another one sealed.
  RedisSettings settings = redis_.settings();
  settings.at_rest_keys = std::make_shared<const SecretKeyring>(
      SecretKeyring::parse("replicas " + crypto::base64_encode(std::string(32, 'r'))).value());
#if defined(__SANITIZE_ADDRESS__)
  // fork() of a process whose other threads (the sandbox's) may hold AddressSanitizer's allocator
  // locks can leave a child stuck for ever; under ASan the replicas are threads, each with its
  // own connections, which is what makes them replicas for the token provider. The optimised
  // build runs them as processes.
  std::atomic<int> failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      if (!replica_call(*this, settings)) ++failed;
    });
  }
  go = true;  // all at once
  for (auto& t : replicas) t.join();
  EXPECT_EQ(failed.load(), 0) << "a replica's call failed";
#else
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kReplicas; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {  // a replica process
      close(start[1]);
      char go;
      if (read(start[0], &go, 1) != 1) _exit(3);
      _exit(replica_call(*this, settings) ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(start[0]);
  const std::string go(kReplicas, 'g');
  ASSERT_EQ(write(start[1], go.data(), go.size()), kReplicas);  // all at once
  close(start[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a replica's call failed";
  }
#endif
  const auto stats = sandbox_.token_stats(GetParam().psa);
  EXPECT_EQ(stats.token_requests, 1) << "exactly one replica may call the token endpoint";
  EXPECT_EQ(stats.issued, 1);
}

bool replica_call(TokenSchemeTest& test, const RedisSettings& settings) {
  RedisClient redis(settings);
  TokenProvider provider(redis);
  PlainHttp http;
  auto answer = test.call(provider, http);
  return answer.ok() && answer->status == 200;
}

TEST_P(TokenSchemeTest, AShortLivedTokenIsRefreshedAndRevokedCredentialsSuspendTheTenant) {
  sandbox_.set_token_lifetime(GetParam().psa, GetParam().lifetime);
  RedisClient redis(redis_.settings());
  TokenProvider provider(redis, {.refresh_before = 1000ms});
  PlainHttp http;
  ASSERT_EQ(call(provider, http).value().status, 200);
  ASSERT_EQ(call(provider, http).value().status, 200);
  EXPECT_EQ(sandbox_.token_stats(GetParam().psa).issued, 1);
  std::this_thread::sleep_for(GetParam().until_refresh);  // under a second left: refreshed before it expires
  ASSERT_EQ(call(provider, http).value().status, 200);
  EXPECT_EQ(sandbox_.token_stats(GetParam().psa).issued, 2);

  // The partner deletes the API application: the token dies and new ones are refused.
  ASSERT_TRUE(sandbox_.revoke_credential(GetParam().psa, GetParam().revocable));
  auto refused = call(provider, http);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "auth_suspended");
  EXPECT_NE(refused.error().message.find(GetParam().advice), std::string::npos);
  const int64_t requests = sandbox_.token_stats(GetParam().psa).token_requests;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(call(provider, http).error().code, "auth_suspended");
  EXPECT_EQ(sandbox_.token_stats(GetParam().psa).token_requests, requests)
      << "a suspended tenant must not call the token endpoint again";

  // Fixed in the PSA, then a connection test succeeds: resumed.
  ASSERT_TRUE(sandbox_.restore_credential(GetParam().psa, GetParam().revocable));
  ASSERT_TRUE(provider.resume(tenant_).ok());
  EXPECT_EQ(call(provider, http).value().status, 200);
}

INSTANTIATE_TEST_SUITE_P(Schemes, TokenSchemeTest, ::testing::ValuesIn(schemes()),
                         [](const ::testing::TestParamInfo<Scheme>& info) {
                           std::string name = info.param.psa;
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace switchyard::connectors::auth
