#include "psa-sandbox/auth/token_issuer.h"

#include <stdexcept>

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/signing.h"

namespace switchyard::sandbox {
namespace {

// Tokens a long-running sandbox keeps; the oldest half goes when a client keeps asking.
constexpr size_t kMaxLiveTokens = 100000;

std::string new_token() { return base64_encode(crypto::sha256(random_guid() + random_guid())); }

}  // namespace

void TokenIssuer::add_credential(std::string id, std::string secret) {
  std::lock_guard lock(mu_);
  secrets_[std::move(id)] = std::move(secret);
}

std::optional<IssuedToken> TokenIssuer::issue(std::string_view id, std::string_view secret, bool* revoked) {
  std::lock_guard lock(mu_);
  ++stats_.token_requests;
  if (revoked) *revoked = false;
  const auto it = secrets_.find(id);
  if (it == secrets_.end() || !secure_equals(secret, it->second)) {
    ++stats_.refused;
    return std::nullopt;
  }
  if (revoked_.contains(id)) {
    if (revoked) *revoked = true;
    ++stats_.refused;
    return std::nullopt;
  }
  if (tokens_.size() >= kMaxLiveTokens) tokens_.clear();
  if (issued_.size() >= kMaxLiveTokens) issued_.erase(issued_.begin(), issued_.begin() + kMaxLiveTokens / 2);
  IssuedToken token{new_token(), new_token(), lifetime_, std::chrono::system_clock::now() + lifetime_};
  tokens_[token.access_token] = Live{std::string(id), Clock::now() + lifetime_};
  issued_.push_back({token.access_token, token.refresh_token});
  ++stats_.issued;
  return token;
}

void TokenIssuer::count_refused_request() {
  std::lock_guard lock(mu_);
  ++stats_.token_requests;
  ++stats_.refused;
}

std::optional<TokenProblem> TokenIssuer::check_bearer(std::string_view authorization) const {
  if (authorization.size() < 7 || !iequals(authorization.substr(0, 7), "bearer ")) return TokenProblem::missing;
  const std::string_view token = authorization.substr(7);
  std::lock_guard lock(mu_);
  const auto it = tokens_.find(token);
  if (it == tokens_.end()) return TokenProblem::unknown;
  if (revoked_.contains(it->second.credential)) return TokenProblem::revoked;
  if (Clock::now() >= it->second.expires) return TokenProblem::expired;
  return std::nullopt;
}

void TokenIssuer::set_lifetime(std::chrono::seconds lifetime) {
  if (lifetime < std::chrono::seconds(1) || lifetime > kMaxTokenLifetime) {
    throw std::invalid_argument("lifetime: must be 1.." + std::to_string(kMaxTokenLifetime.count()) + " seconds");
  }
  std::lock_guard lock(mu_);
  lifetime_ = lifetime;
}

bool TokenIssuer::revoke(std::string_view id) {
  std::lock_guard lock(mu_);
  if (!secrets_.contains(id)) return false;
  revoked_.emplace(id);
  return true;
}

bool TokenIssuer::restore(std::string_view id) {
  std::lock_guard lock(mu_);
  if (!secrets_.contains(id)) return false;
  if (const auto it = revoked_.find(id); it != revoked_.end()) revoked_.erase(it);
  // Tokens issued before the revocation stay dead, as with a real authorisation server.
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second.credential == id; });
  return true;
}

void TokenIssuer::expire_all() {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  for (auto& [token, live] : tokens_) live.expires = now;
}

TokenStats TokenIssuer::stats() const {
  std::lock_guard lock(mu_);
  TokenStats out = stats_;
  out.lifetime = lifetime_;
  const auto now = Clock::now();
  out.live_tokens = 0;
  for (const auto& [token, live] : tokens_) {
    if (now < live.expires && !revoked_.contains(live.credential)) ++out.live_tokens;
  }
  out.revoked.assign(revoked_.begin(), revoked_.end());
  return out;
}

std::vector<IssuedTokenValues> TokenIssuer::issued() const {
  std::lock_guard lock(mu_);
  return issued_;
}

void TokenIssuer::reset() {
  std::lock_guard lock(mu_);
  revoked_.clear();
  tokens_.clear();
  issued_.clear();
  lifetime_ = kDefaultTokenLifetime;
  stats_ = {};
}

std::string_view problem_name(TokenProblem problem) {
  switch (problem) {
    case TokenProblem::missing:
      return "missing";
    case TokenProblem::unknown:
      return "unknown";
    case TokenProblem::expired:
      return "expired";
    case TokenProblem::revoked:
      return "revoked";
  }
  return "unknown";
}

}  // namespace switchyard::sandbox
