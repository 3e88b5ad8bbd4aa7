#include "connectors/auth/token_provider.h"

#include <thread>

#include "common/crypto.h"
#include "common/log.h"
#include "common/secret_box.h"

namespace switchyard::connectors::auth {
namespace {

// Deletes the lock only if this caller still holds it (its deadline may have passed and
// another replica taken it).
constexpr std::string_view kUnlock = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0)";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> field(const RedisReply& hash, std::string_view name) {
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    if (hash.elements[i].str == name) return hash.elements[i + 1].str;
  }
  return std::nullopt;
}

Error suspended_error(const std::string& reason) { return make_error("auth_suspended", reason); }

}  // namespace

std::string credentials_fingerprint(const Tenant& tenant) {
  std::string material = tenant.psa + '\n' + tenant.base_url + '\n';
  for (const auto& [name, value] : tenant.credentials) {
    material += name;
    material += '=';
    material += crypto::sha256_hex(value);  // lengths cannot run fields together
    material += '\n';
  }
  return crypto::sha256_hex(material).substr(0, 32);
}

TokenProvider::TokenProvider(RedisClient& redis, TokenProviderOptions options)
    : redis_(redis), options_(std::move(options)) {}

std::optional<TokenProvider::Stored> TokenProvider::read_token(const std::string& tenant) {
  const std::string token_key = key("token", tenant);
  auto reply = redis_.checked_command({"HGETALL", token_key});
  if (!reply || reply->elements.empty()) return std::nullopt;
  Stored t;
  // Sealed at rest (common/secret_box.h). A value that does not open (an older plaintext one,
  // a key rotated out, another process's ephemeral key) counts as no token: it is fetched again.
  for (auto [name, out] : {std::pair{"access", &t.access}, std::pair{"refresh", &t.refresh}}) {
    const auto sealed = field(*reply, name);
    if (!sealed || sealed->empty()) continue;
    auto opened = redis_.at_rest_keys().open(*sealed, token_key + "#" + name);
    if (!opened) {
      log::info("stored token not usable here, fetching a new one", {{"tenant", tenant}, {"reason", opened.error().code}});
      return std::nullopt;
    }
    *out = std::move(*opened);
  }
  t.fingerprint = field(*reply, "fp").value_or("");
  try {
    t.expires_ms = std::stoll(field(*reply, "expires_ms").value_or("0"));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (t.access.empty()) return std::nullopt;
  return t;
}

bool TokenProvider::usable(const std::optional<Stored>& t, const std::string& fingerprint,
                           const std::optional<std::string>& rejected) const {
  return t && t->fingerprint == fingerprint && (!rejected || t->access != *rejected) &&
         t->expires_ms - now_ms() > options_.refresh_before.count();
}

std::optional<std::string> TokenProvider::suspended(const Tenant& tenant) {
  auto reply = redis_.checked_command({"HGETALL", key("suspended", tenant.id)});
  if (!reply || reply->elements.empty()) return std::nullopt;
  if (field(*reply, "fp").value_or("") != credentials_fingerprint(tenant)) return std::nullopt;  // changed since
  return field(*reply, "reason").value_or("the PSA refused the tenant's credentials");
}

Status TokenProvider::resume(const Tenant& tenant) {
  auto r = redis_.checked_command({"DEL", key("suspended", tenant.id)});
  if (!r) return r.error();
  return ok_status();
}

void TokenProvider::unlock(const std::string& tenant, const std::string& owner) {
  (void)redis_.eval_script(unlock_sha_, kUnlock, {"1", key("lock", tenant), owner});
}

Result<std::string> TokenProvider::access_token(const Tenant& tenant, const TokenSource& source, PsaHttp& http,
                                                const std::optional<std::string>& rejected) {
  const std::string fingerprint = credentials_fingerprint(tenant);
  // Waiting for another replica's refresh ends at its lock's deadline, plus a margin.
  const auto give_up = std::chrono::steady_clock::now() + options_.lock_ttl + options_.lock_ttl / 2;
  if (auto reason = suspended(tenant)) return suspended_error(*reason);
  const auto current = read_token(tenant.id);
  if (usable(current, fingerprint, rejected)) return current->access;

  const std::string owner = crypto::random_hex(8);
  auto locked = redis_.checked_command({"SET", key("lock", tenant.id), owner, "NX", "PX",
                                        std::to_string(options_.lock_ttl.count())});
  if (!locked) return make_error("token_unavailable", "redis: " + locked.error().message);
  if (locked->type == RedisReply::Type::Status) {
    auto token = refresh(tenant, source, http, current, fingerprint, rejected);
    unlock(tenant.id, owner);
    return token;
  }
  // Another replica is refreshing: wait for its token (or its failure), never call the PSA too.
  while (std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(options_.wait_step);
    auto lock = redis_.checked_command({"EXISTS", key("lock", tenant.id)});
    if (!lock) return make_error("token_unavailable", "redis: " + lock.error().message);
    if (lock->integer == 0) break;
  }
  if (std::chrono::steady_clock::now() >= give_up) {
    return make_error("token_unavailable", "another replica's token refresh did not finish in time");
  }
  // The holder finished: its token, its suspension, or (it failed) our turn to try.
  if (auto reason = suspended(tenant)) return suspended_error(*reason);
  const auto after = read_token(tenant.id);
  if (usable(after, fingerprint, rejected)) return after->access;
  if (after && current && after->access != current->access && after->fingerprint == fingerprint) {
    return after->access;  // refreshed just now; `rejected` may be the older one
  }
  return make_error("token_unavailable", "the token refresh of another replica failed; try again later");
}

Result<std::string> TokenProvider::refresh(const Tenant& tenant, const TokenSource& source, PsaHttp& http,
                                           const std::optional<Stored>& current, const std::string& fingerprint,
                                           const std::optional<std::string>& rejected) {
  // Another replica may have stored a token between our read and our lock.
  if (auto fresh = read_token(tenant.id); usable(fresh, fingerprint, rejected)) return fresh->access;
  const bool can_refresh = current && current->fingerprint == fingerprint && !current->refresh.empty();
  auto issued = source.issue(tenant, http, can_refresh ? current->refresh : "");
  if (!issued && can_refresh && issued.error().code == kBadCredentials) {
    issued = source.issue(tenant, http, "");  // refresh tokens expire too: the credentials decide
  }
  if (!issued) {
    if (issued.error().code != kBadCredentials) {
      if (issued.error().code == "throttled" || issued.error().code == "shutting_down") return issued.error();
      return make_error("token_unavailable", issued.error().message);
    }
    const std::string reason = source.credentials_advice(tenant);
    (void)redis_.checked_command({"HSET", key("suspended", tenant.id), "reason", reason, "fp", fingerprint});
    log::warn("tenant suspended: the PSA refused its credentials", {{"tenant", tenant.id}, {"psa", tenant.psa}});
    return suspended_error(reason);
  }
  const int64_t expires_ms = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(issued->expires_in).count();
  const std::string token_key = key("token", tenant.id);
  const auto& keys = redis_.at_rest_keys();
  auto stored = redis_.pipeline({{"HSET", token_key, "access", keys.seal(issued->access_token, token_key + "#access"),
                                  "refresh",
                                  issued->refresh_token.empty() ? "" : keys.seal(issued->refresh_token, token_key + "#refresh"),
                                  "fp", fingerprint, "expires_ms", std::to_string(expires_ms)},
                                 // Kept a day past expiry, for its refresh token.
                                 {"PEXPIREAT", token_key, std::to_string(expires_ms + 86400000)}});
  if (!stored) {
    log::warn("token not shared (redis): other replicas fetch their own", {{"tenant", tenant.id}});
  }
  return std::move(issued->access_token);
}

}  // namespace switchyard::connectors::auth
