// RedisClient over RedisTransport (TCP or TLS). A connection that saw an IO error is dropped
// and the next call connects afresh (through the sentinels when configured).
#include "common/redis_client.h"

#include <charconv>
#include <optional>

#include "common/log.h"
#include "common/redis_sentinel.h"
#include "common/redis_transport.h"
#include "common/resp_encode.h"
#include "common/secret_box.h"
#include "common/text.h"

namespace switchyard {
namespace {

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<RedisSettings> parse_redis_url(std::string_view url) {
  RedisSettings settings;
  std::string_view rest;
  if (url.starts_with("redis://")) {
    rest = url.substr(8);
  } else if (url.starts_with("rediss://")) {
    rest = url.substr(9);
    settings.tls.enabled = true;
  } else {
    return make_error("invalid_redis_url", "Redis URL must start with redis:// or rediss:// (TLS)");
  }
  // The last '@' ends the credentials, so an unencoded '@' or '/' in a password still parses.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    // "user:password", ":password", or a lone "password" (as redis-cli reads it).
    const auto colon = userinfo.find(':');
    const std::string_view user = colon == std::string_view::npos ? std::string_view{} : userinfo.substr(0, colon);
    const std::string_view password = colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
    auto decoded_user = percent_decode_strict(user);
    if (!decoded_user) return make_error("invalid_redis_url", "Redis URL user name has a bad percent-encoding");
    auto decoded = percent_decode_strict(password);
    if (!decoded) return make_error("invalid_redis_url", "Redis URL password has a bad percent-encoding");
    settings.user = std::move(*decoded_user);
    settings.password = std::move(*decoded);
  }
  if (rest.find('?') != std::string_view::npos) {
    return make_error("invalid_redis_url", "Redis URL query parameters are not supported");
  }
  std::string_view hostport = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      const auto n = parse_int(db);
      if (!n || *n < 0) return make_error("invalid_redis_url", "Redis URL database must be a number >= 0");
      settings.db = *n;
    }
  }
  std::string_view host = hostport;
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return make_error("invalid_redis_url", "Redis URL has an unclosed '['");
    host = hostport.substr(1, close - 1);
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return make_error("invalid_redis_url", "Redis URL has junk after the host");
      port = after.substr(1);
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty()) return make_error("invalid_redis_url", "Redis URL has no host");
  settings.host = std::string(host);
  if (!port.empty()) {
    const auto n = parse_int(port);
    if (!n || *n < 1 || *n > 65535) return make_error("invalid_redis_url", "Redis URL port must be 1-65535");
    settings.port = *n;
  }
  return settings;
}

namespace {

std::vector<std::string> auth_command(const RedisSettings& settings) {
  if (settings.user.empty()) return {"AUTH", settings.password};
  return {"AUTH", settings.user, settings.password};
}

}  // namespace

struct RedisClient::Impl {
  RedisSettings settings;
  RedisTransport transport;

  // Errors from the server never contain the password, but scrub anyway: an error text is the
  // one place a secret could leak into logs.
  std::string scrub(std::string text) const {
    for (const std::string* secret : {&settings.password, &settings.sentinel.password}) {
      if (secret->empty()) continue;
      for (size_t pos; (pos = text.find(*secret)) != std::string::npos;) text.replace(pos, secret->size(), "***");
    }
    return text;
  }

  Error scrubbed(const Error& e) const { return make_error(e.code, scrub(e.message)); }

  RedisTransport::Deadline deadline() const { return std::chrono::steady_clock::now() + settings.timeout; }

  // Connects when not connected: through the sentinels when configured, then AUTH, SELECT and
  // (with Sentinel) ROLE in one round trip. Any failure leaves the transport closed, so the
  // next call starts over, discovery included.
  Status connect() {
    if (transport.connected()) return ok_status();
    const auto until = deadline();
    RedisNodeAddress node{settings.host, settings.port};
    if (settings.sentinel.enabled()) {
      auto master = discover_redis_master(settings, until);
      if (!master) return scrubbed(master.error());
      node = *master;
    }
    if (auto s = transport.connect(node.host, node.port, settings.tls, until); !s) return scrubbed(s.error());
    std::vector<std::vector<std::string>> setup;
    if (!settings.password.empty() || !settings.user.empty()) setup.push_back(auth_command(settings));
    if (settings.db != 0) setup.push_back({"SELECT", std::to_string(settings.db)});
    if (settings.sentinel.enabled()) setup.push_back({"ROLE"});
    if (setup.empty()) return ok_status();
    auto replies = transport.round_trip(setup, until, 64 * 1024);
    if (!replies) return scrubbed(replies.error());
    for (size_t i = 0; i < setup.size(); ++i) {
      const RedisReply& reply = (*replies)[i];
      const std::string& name = setup[i][0];
      if (reply.type == RedisReply::Type::Error) {
        transport.close();
        return make_error(name == "AUTH" ? "redis_auth" : "redis_setup",
                          scrub("redis " + name + " failed (" + transport.peer() + "): " + reply.str));
      }
      if (name == "ROLE" && !is_master_role(reply)) {
        // A demoted master the sentinels have not caught up with yet: drop it and rediscover.
        transport.close();
        return make_error("redis_unavailable", "redis " + transport.peer() + " is not a master (ROLE: " +
                                                   (reply.elements.empty() ? "?" : reply.elements[0].str) + ")");
      }
    }
    return ok_status();
  }
};

RedisClient::RedisClient(RedisSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

RedisClient::~RedisClient() = default;

const SecretKeyring& RedisClient::at_rest_keys() const {
  if (impl_->settings.at_rest_keys) return *impl_->settings.at_rest_keys;
  // Said once, by the processes that keep a secret in Redis (normalize never does).
  static const auto ephemeral = [] {
    log::warn("SWITCHYARD_SECRET_KEYS_FILE is not set: tokens kept in Redis are sealed with a key of this "
              "process only, so each replica and each restart fetches its own");
    return SecretKeyring::process_ephemeral();
  }();
  return *ephemeral;
}

Result<RedisReply> RedisClient::command(const std::vector<std::string>& argv) {
  auto replies = pipeline({argv});
  if (!replies) return replies.error();
  return std::move(replies.value().front());
}

Result<RedisReply> RedisClient::checked_command(const std::vector<std::string>& argv) {
  auto reply = command(argv);
  if (reply && reply->type == RedisReply::Type::Error) return make_error("redis_error", "redis answered: " + reply->str);
  return reply;
}

Result<RedisReply> RedisClient::eval_script(std::string& sha, std::string_view script,
                                            const std::vector<std::string>& args) {
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second after NOSCRIPT
    if (sha.empty()) {
      auto loaded = checked_command({"SCRIPT", "LOAD", std::string(script)});
      if (!loaded) return loaded.error();
      sha = loaded->str;
    }
    std::vector<std::string> argv = {"EVALSHA", sha};
    argv.insert(argv.end(), args.begin(), args.end());
    auto reply = command(argv);
    if (!reply) return reply.error();
    if (reply->type == RedisReply::Type::Error && reply->str.rfind("NOSCRIPT", 0) == 0) {
      sha.clear();
      continue;
    }
    if (reply->type == RedisReply::Type::Error) return make_error("redis_error", "script failed: " + reply->str);
    return reply;
  }
  return make_error("redis_error", "the script cache keeps being flushed");
}

Result<std::vector<RedisReply>> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<RedisReply>{};
  const auto encoded = resp_encode(commands);
  if (!encoded) return make_error("redis_usage", "redis: empty command");
  return pipeline(*encoded);
}

Result<std::vector<RedisReply>> RedisClient::pipeline(const RespPipeline& commands) {
  if (commands.empty()) return std::vector<RedisReply>{};
  if (auto s = impl_->connect(); !s) return s.error();
  auto replies = impl_->transport.round_trip(commands, impl_->deadline(), impl_->settings.max_reply_bytes);
  if (!replies) return impl_->scrubbed(replies.error());
  for (const RedisReply& reply : *replies) {
    // A replica answers writes with READONLY: this node was demoted (a failover whose sentinel
    // did not disconnect us). Drop it so the next call finds the master again.
    if (reply.type == RedisReply::Type::Error && reply.str.starts_with("READONLY")) {
      impl_->transport.close();
      break;
    }
  }
  return replies;
}

bool RedisClient::ping() {
  auto reply = command({"PING"});
  return reply && reply->type == RedisReply::Type::Status && reply->str == "PONG";
}

}  // namespace switchyard
