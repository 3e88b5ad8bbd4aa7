// TokenProvider: one access token per tenant, shared by every replica of every service through
// Redis, fetched and refreshed by a TokenSource (token_source.h).
//
//  - A token is used until `refresh_before` its expiry; then the next caller refreshes it.
//  - Refresh is single-flight across replicas: the caller that takes the tenant's lock (SET NX
//    with a deadline, so a crashed holder cannot block the others for longer) calls the PSA;
//    the others wait for the token it stores, and never call the token endpoint themselves.
//  - After a 401 the caller asks again naming the rejected token: a newer one is used if another
//    replica already refreshed, else it is refreshed once (TokenAuthPsaHttp does this).
//  - Credentials the PSA refuses suspend the tenant: every caller gets "auth_suspended" with a
//    plain-language reason, without calling the PSA, until the tenant's credentials change (a
//    reload with new secret files) or resume() is called (a connection test succeeded).
//
// The token is stored with a fingerprint of the credentials it was issued for, so a rotated
// secret never keeps using the old token. Tokens never appear in logs, errors or metrics, and
// are sealed in Redis with AES-256-GCM under the client's at-rest keys (common/secret_box.h).
// Not thread-safe: one per worker (it uses the worker's RedisClient).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/redis_client.h"
#include "connectors/auth/token_source.h"

namespace switchyard::connectors::auth {

struct TokenProviderOptions {
  std::chrono::milliseconds refresh_before{60000};  // refresh when less than this is left
  std::chrono::milliseconds lock_ttl{15000};        // a refresh's deadline (the PSA call's timeout + margin)
  std::chrono::milliseconds wait_step{50};          // how often a waiting replica looks again
  std::string key_prefix = "sy:auth:";
};

class TokenProvider {
 public:
  explicit TokenProvider(RedisClient& redis, TokenProviderOptions options = {});

  // A valid access token. `rejected`: the token the PSA just answered 401 to (forces a refresh
  // unless another replica already replaced it). Errors: "auth_suspended" (the message is the
  // reason, for the partner), "token_unavailable" (Redis, or the token endpoint failed: try
  // later), or the PsaHttp's own ("throttled", "shutting_down").
  Result<std::string> access_token(const Tenant& tenant, const TokenSource& source, PsaHttp& http,
                                   const std::optional<std::string>& rejected = std::nullopt);
  // The reason when the tenant is suspended for its current credentials.
  std::optional<std::string> suspended(const Tenant& tenant);
  // Lifts a suspension (after a successful connection test).
  Status resume(const Tenant& tenant);

 private:
  struct Stored {
    std::string access, refresh, fingerprint;
    int64_t expires_ms = 0;
  };
  std::optional<Stored> read_token(const std::string& tenant);
  Result<std::string> refresh(const Tenant& tenant, const TokenSource& source, PsaHttp& http,
                              const std::optional<Stored>& current, const std::string& fingerprint,
                              const std::optional<std::string>& rejected);
  bool usable(const std::optional<Stored>& t, const std::string& fingerprint,
              const std::optional<std::string>& rejected) const;
  void unlock(const std::string& tenant, const std::string& owner);
  std::string key(std::string_view kind, const std::string& tenant) const { return options_.key_prefix + std::string(kind) + ":" + tenant; }

  RedisClient& redis_;
  TokenProviderOptions options_;
  std::string unlock_sha_;
};

// A fingerprint of what a token is issued for: the PSA, its base URL and the credentials (a
// hash: the credentials themselves are never stored).
std::string credentials_fingerprint(const Tenant& tenant);

}  // namespace switchyard::connectors::auth
