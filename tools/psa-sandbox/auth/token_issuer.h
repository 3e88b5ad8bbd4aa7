// TokenIssuer: the state behind the token schemes (OAuth2 client credentials, user/password
// exchange): known credentials, the access tokens issued for them and when each expires, how
// many token requests came in, and which credentials were revoked. The token endpoints
// (oauth_client_credentials.h, password_token_exchange.h) issue through it and BearerAuth
// (bearer_auth.h) checks API requests against it. PSA-agnostic and thread-safe: one issuer
// serves every tenant of its PSA.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

inline constexpr std::chrono::seconds kDefaultTokenLifetime{3600};
inline constexpr std::chrono::seconds kMaxTokenLifetime{86400};

struct IssuedToken {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  std::chrono::system_clock::time_point expires_at{};  // wall clock, for PSAs that answer a date
};

// Why a bearer token was refused.
enum class TokenProblem { missing, unknown, expired, revoked };

class TokenIssuer {
 public:
  // A credential: a client id and secret, or a user name and password. Later adds replace.
  void add_credential(std::string id, std::string secret);

  // One token request (counted whatever the outcome). nullopt for an unknown id, a wrong
  // secret or a revoked credential; `revoked` tells the last apart.
  std::optional<IssuedToken> issue(std::string_view id, std::string_view secret, bool* revoked = nullptr);
  // Counts one token request that was refused before its credentials could be checked
  // (a malformed body, an unsupported grant type).
  void count_refused_request();

  // nullopt when `authorization` ("Bearer <token>") names a live token.
  std::optional<TokenProblem> check_bearer(std::string_view authorization) const;

  // Lifetime of tokens issued from now on: 1 s .. kMaxTokenLifetime (std::invalid_argument).
  void set_lifetime(std::chrono::seconds lifetime);
  // Revoking refuses the credential at the token endpoint and stops its issued tokens;
  // restoring lets it get new tokens (the old ones stay dead). False for an unknown id.
  bool revoke(std::string_view id);
  bool restore(std::string_view id);
  void expire_all();  // every issued token expires now (as if its lifetime had passed)

  TokenStats stats() const;
  // Every access and refresh token issued since start or reset, oldest first (bounded like the
  // live tokens), so a test can look for them where they must not be (a Redis dump, a log).
  std::vector<IssuedTokenValues> issued() const;
  void reset();  // back to the default lifetime; no tokens, revocations or counts

 private:
  using Clock = std::chrono::steady_clock;
  struct Live {
    std::string credential;
    Clock::time_point expires;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> secrets_;  // id -> secret
  std::set<std::string, std::less<>> revoked_;
  std::map<std::string, Live, std::less<>> tokens_;  // access token -> owner and expiry
  std::vector<IssuedTokenValues> issued_;
  std::chrono::seconds lifetime_ = kDefaultTokenLifetime;
  TokenStats stats_;
};

std::string_view problem_name(TokenProblem problem);

}  // namespace switchyard::sandbox
