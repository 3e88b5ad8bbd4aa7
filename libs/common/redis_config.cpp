#include "common/redis_config.h"

#include "common/redis_sentinel.h"
#include "common/secret_box.h"
#include "common/secret_ref.h"

namespace switchyard {
namespace {

std::string secret_from_file(const Env& env, std::string_view variable) {
  const std::string path = env.string(variable, "");
  if (path.empty()) return {};
  auto secret = read_secret_file(path);
  if (!secret) throw ConfigError(std::string(variable) + ": " + secret.error().message);
  return *secret;
}

}  // namespace

RedisSettings load_redis_settings(const Env& env) {
  auto parsed = parse_redis_url(env.string("SWITCHYARD_REDIS_URL", "redis://127.0.0.1:6379"));
  if (!parsed) throw ConfigError("SWITCHYARD_REDIS_URL: " + parsed.error().message);
  RedisSettings s = std::move(*parsed);

  // A mounted Kubernetes Secret keeps the password out of the URL and the pod spec.
  if (std::string password = secret_from_file(env, "SWITCHYARD_REDIS_PASSWORD_FILE"); !password.empty()) {
    if (!s.password.empty()) {
      throw ConfigError("SWITCHYARD_REDIS_PASSWORD_FILE: SWITCHYARD_REDIS_URL has a password too; keep one");
    }
    s.password = std::move(password);
  }

  s.tls.ca_file = env.string("SWITCHYARD_REDIS_TLS_CA_FILE", "");
  s.tls.cert_file = env.string("SWITCHYARD_REDIS_TLS_CERT_FILE", "");
  s.tls.key_file = env.string("SWITCHYARD_REDIS_TLS_KEY_FILE", "");
  s.tls.server_name = env.string("SWITCHYARD_REDIS_TLS_SERVER_NAME", "");
  s.tls.insecure_skip_verify = env.boolean("SWITCHYARD_REDIS_TLS_INSECURE_SKIP_VERIFY", false);
  const bool tls_configured = !s.tls.ca_file.empty() || !s.tls.cert_file.empty() || !s.tls.key_file.empty() ||
                              !s.tls.server_name.empty() || s.tls.insecure_skip_verify;
  if (tls_configured && !s.tls.enabled) {
    // Otherwise the operator believes the connection is encrypted while it is not.
    throw ConfigError("SWITCHYARD_REDIS_TLS_*: set, but SWITCHYARD_REDIS_URL is redis://; use rediss:// for TLS");
  }
  if (s.tls.cert_file.empty() != s.tls.key_file.empty()) {
    throw ConfigError("SWITCHYARD_REDIS_TLS_CERT_FILE and SWITCHYARD_REDIS_TLS_KEY_FILE: set both or neither");
  }

  if (const std::string sentinels = env.string("SWITCHYARD_REDIS_SENTINELS", ""); !sentinels.empty()) {
    auto list = parse_sentinel_list(sentinels);
    if (!list) throw ConfigError("SWITCHYARD_REDIS_SENTINELS: " + list.error().message);
    s.sentinel.sentinels = std::move(*list);
    s.sentinel.master_name = env.required("SWITCHYARD_REDIS_SENTINEL_MASTER");
    s.sentinel.user = env.string("SWITCHYARD_REDIS_SENTINEL_USER", "");
    s.sentinel.password = secret_from_file(env, "SWITCHYARD_REDIS_SENTINEL_PASSWORD_FILE");
  } else if (!env.string("SWITCHYARD_REDIS_SENTINEL_MASTER", "").empty()) {
    throw ConfigError("SWITCHYARD_REDIS_SENTINEL_MASTER: set, but SWITCHYARD_REDIS_SENTINELS is not");
  }

  // Without it, tokens are sealed with a key only this process holds: safe, but every replica
  // and every restart fetches its own token. The manifests mount one (docs/security.md).
  if (const std::string keys = env.string("SWITCHYARD_SECRET_KEYS_FILE", ""); !keys.empty()) {
    auto ring = SecretKeyring::load_file(keys);
    if (!ring) throw ConfigError("SWITCHYARD_SECRET_KEYS_FILE: " + ring.error().message);
    s.at_rest_keys = std::make_shared<const SecretKeyring>(std::move(*ring));
  }
  return s;
}

}  // namespace switchyard
