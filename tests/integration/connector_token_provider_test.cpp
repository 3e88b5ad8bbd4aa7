// The shared token provider over a real redis-server: replicas refreshing at once call the token
// endpoint once, a token is refreshed before it expires (with its refresh token), a 401 is
// retried once after a forced refresh, refused credentials suspend the tenant without calling
// the endpoint again until they change, and a rotated secret never keeps the old token. Tokens
// are sealed in Redis, and a rotated at-rest key keeps opening what it sealed while it is listed.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "common/redis_client.h"
#include "common/secret_box.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "connectors/auth/token_provider.h"
#include "support/redis_server.h"

namespace switchyard::connectors::auth {
namespace {

using namespace std::chrono_literals;

// A token endpoint: counts its calls, takes `latency` to answer, refuses the credentials while
// `refuse` is set. Thread-safe (the replicas share it, as they share the PSA).
class CountingSource : public TokenSource {
 public:
  std::chrono::seconds expires_in{3600};
  std::chrono::milliseconds latency{200};
  std::atomic<bool> refuse{false};

  Result<IssuedToken> issue(const Tenant&, PsaHttp&, const std::string& refresh_token) const override {
    std::this_thread::sleep_for(latency);
    const int n = ++issued_;
    {
      std::lock_guard lock(mutex_);
      refresh_tokens_.push_back(refresh_token);
    }
    if (refuse) return make_error(std::string(kBadCredentials), "invalid_client");
    return IssuedToken{"access-" + std::to_string(n), "refresh-" + std::to_string(n), expires_in};
  }
  std::string credentials_advice(const Tenant&) const override {
    return "the PSA refused the client ID and secret: check credentials.client_id and credentials.client_secret";
  }
  int issued() const { return issued_; }
  std::vector<std::string> refresh_tokens() const {
    std::lock_guard lock(mutex_);
    return refresh_tokens_;
  }

 private:
  mutable std::atomic<int> issued_{0};
  mutable std::mutex mutex_;
  mutable std::vector<std::string> refresh_tokens_;
};

// The PSA's API: 401 to the tokens in `revoked`, 200 otherwise; records the Authorization header.
class ApiStub : public PsaHttp {
 public:
  std::set<std::string> revoked;
  std::vector<std::string> seen;
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    std::string auth;
    for (const auto& [name, value] : request.headers) {
      if (name == "Authorization") auth = value;
    }
    seen.push_back(auth);
    http::ClientResponse r;
    r.status = revoked.contains(auth.substr(auth.find(' ') + 1)) ? 401 : 200;
    return r;
  }
};

Tenant tenant(const std::string& secret = "secret-1") {
  Tenant t;
  t.id = "halo1";
  t.psa = "halopsa";
  t.base_url = "https://halo.example/api";
  t.credentials = {{"client_id", "client-1"}, {"client_secret", secret}};
  return t;
}

class TokenProviderTest : public ::testing::Test {
 protected:
  testing::RedisServer redis_;
  RedisClient client_{redis_.settings()};
  CountingSource source_;
  ApiStub api_;
};

TEST_F(TokenProviderTest, EightReplicasRefreshingAtOnceCallTheTokenEndpointOnce) {
  constexpr int kReplicas = 8;
  std::barrier start(kReplicas);
  std::vector<std::string> tokens(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      RedisClient redis(redis_.settings());  // each replica its own connection
      TokenProvider provider(redis);
      ApiStub api;
      start.arrive_and_wait();
      auto token = provider.access_token(tenant(), source_, api);
      tokens[i] = token ? *token : "error: " + token.error().message;
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(source_.issued(), 1) << "exactly one replica may call the token endpoint";
  for (const auto& t : tokens) EXPECT_EQ(t, "access-1");
}

TEST_F(TokenProviderTest, ATokenIsRefreshedBeforeItExpiresWithItsRefreshToken) {
  source_.expires_in = 2s;
  source_.latency = 0ms;
  TokenProvider provider(client_, {.refresh_before = 1500ms});
  EXPECT_EQ(provider.access_token(tenant(), source_, api_).value(), "access-1");
  EXPECT_EQ(provider.access_token(tenant(), source_, api_).value(), "access-1") << "still fresh: reused";
  std::this_thread::sleep_for(600ms);  // less than 1.5 s left
  EXPECT_EQ(provider.access_token(tenant(), source_, api_).value(), "access-2");
  ASSERT_EQ(source_.refresh_tokens().size(), 2u);
  EXPECT_EQ(source_.refresh_tokens()[0], "") << "the first token comes from the credentials";
  EXPECT_EQ(source_.refresh_tokens()[1], "refresh-1") << "the refresh uses the refresh token";
}

TEST_F(TokenProviderTest, A401IsRetriedOnceAfterAForcedRefresh) {
  source_.latency = 0ms;
  TokenProvider provider(client_);
  const Tenant t = tenant();
  TokenAuthPsaHttp http(api_, provider, t, &source_);
  api_.revoked = {"access-1"};  // revoked on the PSA's side before it expired
  auto answer = http.send({.method = "GET", .url = "https://halo.example/api/Tickets"});
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(source_.issued(), 2);
  EXPECT_EQ(api_.seen, (std::vector<std::string>{"Bearer access-1", "Bearer access-2"}));

  // Refused again after the refresh: the 401 is the answer (no loop).
  api_.revoked = {"access-2", "access-3"};
  auto refused = http.send({.method = "GET", .url = "https://halo.example/api/Tickets"});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(source_.issued(), 3);
}

TEST_F(TokenProviderTest, RefusedCredentialsSuspendTheTenantUntilTheyChange) {
  source_.latency = 0ms;
  source_.refuse = true;
  TokenProvider provider(client_);
  const Tenant t = tenant();
  TokenAuthPsaHttp http(api_, provider, t, &source_);
  auto first = http.send({.method = "GET", .url = "https://halo.example/api/Tickets"});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, "auth_suspended");
  EXPECT_NE(first.error().message.find("credentials.client_secret"), std::string::npos) << first.error().message;
  ASSERT_TRUE(http.suspension().has_value());
  EXPECT_TRUE(api_.seen.empty()) << "no API call without a token";

  // Every replica sees the suspension; nobody calls the token endpoint again.
  RedisClient other_redis(redis_.settings());
  TokenProvider other(other_redis);
  for (int i = 0; i < 5; ++i) {
    auto again = other.access_token(t, source_, api_);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "auth_suspended");
  }
  EXPECT_EQ(source_.issued(), 1);

  // New credentials (a reload with a new secret file) lift it.
  source_.refuse = false;
  auto fixed = other.access_token(tenant("secret-2"), source_, api_);
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(source_.issued(), 2);
}

TEST_F(TokenProviderTest, ResumeLiftsASuspensionAndARotatedSecretGetsItsOwnToken) {
  source_.latency = 0ms;
  TokenProvider provider(client_);
  EXPECT_EQ(provider.access_token(tenant("secret-1"), source_, api_).value(), "access-1");
  EXPECT_EQ(provider.access_token(tenant("secret-2"), source_, api_).value(), "access-2")
      << "a token issued for the old secret must not be used with the new one";

  source_.refuse = true;
  EXPECT_EQ(provider.access_token(tenant("secret-3"), source_, api_).error().code, "auth_suspended");
  EXPECT_TRUE(provider.suspended(tenant("secret-3")).has_value());
  source_.refuse = false;
  ASSERT_TRUE(provider.resume(tenant("secret-3")).ok());  // a connection test succeeded
  EXPECT_FALSE(provider.suspended(tenant("secret-3")).has_value());
  EXPECT_EQ(provider.access_token(tenant("secret-3"), source_, api_).value(), "access-4");
}

// Every value of every key in Redis, as a dump would show them.
std::string dump(RedisClient& redis) {
  std::string all;
  auto keys = redis.checked_command({"KEYS", "*"});
  for (const auto& k : keys->elements) {
    auto values = redis.checked_command({"HGETALL", k.str});
    if (!values) continue;  // not a hash
    all += k.str + "\n";
    for (const auto& v : values->elements) all += v.str + "\n";
  }
  return all;
}

std::shared_ptr<const SecretKeyring> keyring(const std::string& text) {
  return std::make_shared<const SecretKeyring>(SecretKeyring::parse(text).value());
}

TEST_F(TokenProviderTest, TokensAreSealedInRedisAndARotatedKeyOpensWhatItSealedWhileListed) {
  source_.latency = 0ms;
  const std::string key_a = "old " + crypto::base64_encode(std::string(32, 'a'));
  const std::string key_b = "new " + crypto::base64_encode(std::string(32, 'b'));
  auto with_keys = [&](const std::string& text) {
    RedisSettings settings = redis_.settings();
    settings.at_rest_keys = keyring(text);
    return settings;
  };

  RedisClient before(with_keys(key_a));
  TokenProvider provider(before);
  EXPECT_EQ(provider.access_token(tenant(), source_, api_).value(), "access-1");
  const std::string stored = dump(before);
  EXPECT_EQ(stored.find("access-1"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("refresh-1"), std::string::npos) << stored;
  EXPECT_NE(stored.find("sy1:old:"), std::string::npos) << stored;

  // Rotation: the new key first, the old one still listed. The stored token is used as is.
  RedisClient during(with_keys(key_b + "\n" + key_a));
  TokenProvider rotated(during);
  EXPECT_EQ(rotated.access_token(tenant(), source_, api_).value(), "access-1");
  EXPECT_EQ(source_.issued(), 1);

  // The old key removed before the token was replaced: it no longer opens, so a new token is
  // fetched (with the credentials: the sealed refresh token cannot be read either) and sealed
  // with the new key.
  RedisClient after(with_keys(key_b));
  TokenProvider renewed(after);
  EXPECT_EQ(renewed.access_token(tenant(), source_, api_).value(), "access-2");
  EXPECT_EQ(source_.refresh_tokens().back(), "");
  const std::string resealed = dump(after);
  EXPECT_NE(resealed.find("sy1:new:"), std::string::npos) << resealed;
  EXPECT_EQ(resealed.find("sy1:old:"), std::string::npos) << resealed;
  EXPECT_EQ(resealed.find("access-2"), std::string::npos) << resealed;
}

TEST_F(TokenProviderTest, APlaintextTokenFromAnEarlierVersionIsReplacedNotUsed) {
  source_.latency = 0ms;
  ASSERT_TRUE(client_.checked_command({"HSET", "sy:auth:token:halo1", "access", "plain-access", "refresh",
                                       "plain-refresh", "fp", credentials_fingerprint(tenant()), "expires_ms",
                                       "99999999999999"}).ok());
  TokenProvider provider(client_);
  EXPECT_EQ(provider.access_token(tenant(), source_, api_).value(), "access-1");
  EXPECT_EQ(dump(client_).find("plain-access"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::connectors::auth
