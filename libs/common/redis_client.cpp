// RedisClient over hiredis' blocking API. A context that saw an IO error is unusable (hiredis
// sets c->err for good), so it is dropped and the next call connects afresh.
#include "common/redis_client.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <optional>

namespace switchyard {
namespace {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextFree>;
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::String;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::Status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::Error;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::Integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::Array;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.type = RedisReply::Type::Nil;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Passwords with '@', ':' or '/' must be percent-encoded in a URL.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<RedisSettings> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, 9) == "rediss://") {
    return make_error("invalid_redis_url", "rediss:// (TLS) is not supported; use redis://");
  }
  if (url.substr(0, scheme.size()) != scheme) {
    return make_error("invalid_redis_url", "Redis URL must start with redis://");
  }
  RedisSettings settings;
  std::string_view rest = url.substr(scheme.size());
  // The last '@' ends the credentials, so an unencoded '@' or '/' in a password still parses.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    const std::string_view user = colon == std::string_view::npos ? std::string_view{} : userinfo.substr(0, colon);
    const std::string_view password = colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
    if (!user.empty() && user != "default") {
      return make_error("invalid_redis_url", "Redis URL user names other than 'default' are not supported");
    }
    auto decoded = percent_decode(password);
    if (!decoded) return make_error("invalid_redis_url", "Redis URL password has a bad percent-encoding");
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

struct RedisClient::Impl {
  RedisSettings settings;
  ContextPtr context;

  // Errors from hiredis or the server never contain the password, but scrub anyway: an error
  // text is the one place a secret could leak into logs.
  std::string scrub(std::string text) const {
    if (settings.password.empty()) return text;
    for (size_t pos; (pos = text.find(settings.password)) != std::string::npos;) {
      text.replace(pos, settings.password.size(), "***");
    }
    return text;
  }

  Error io_error(const std::string& what) {
    std::string detail = context && context->errstr[0] ? context->errstr : "connection lost";
    context.reset();  // unusable now; the next call reconnects
    return make_error("redis_unavailable", scrub("redis " + what + " (" + settings.host + ":" +
                                                 std::to_string(settings.port) + "): " + detail));
  }

  // One command on a fresh context during connect; an error reply is a setup failure.
  Status setup_command(const char* name, std::vector<std::string> argv) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    ReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(context.get(), static_cast<int>(args.size()), args.data(), lens.data())));
    if (!reply) return io_error(std::string(name) + " failed");
    if (reply->type == REDIS_REPLY_ERROR) {
      const std::string text(reply->str, reply->len);
      context.reset();
      return make_error(std::string(name) == "AUTH" ? "redis_auth" : "redis_setup",
                        scrub("redis " + std::string(name) + " failed: " + text));
    }
    return ok_status();
  }

  Status connect() {
    if (context) return ok_status();
    const timeval tv = to_timeval(settings.timeout);
    context.reset(redisConnectWithTimeout(settings.host.c_str(), settings.port, tv));
    if (!context) return make_error("redis_unavailable", "redis: cannot allocate a connection");
    if (context->err) return io_error("connect failed");
    if (redisSetTimeout(context.get(), tv) != REDIS_OK) return io_error("set timeout failed");
    if (!settings.password.empty()) {
      if (auto s = setup_command("AUTH", {"AUTH", settings.password}); !s) return s;
    }
    if (settings.db != 0) {
      if (auto s = setup_command("SELECT", {"SELECT", std::to_string(settings.db)}); !s) return s;
    }
    return ok_status();
  }
};

RedisClient::RedisClient(RedisSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

RedisClient::~RedisClient() = default;

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
  std::vector<RedisReply> out;
  if (commands.empty()) return out;
  if (auto s = impl_->connect(); !s) return s.error();
  redisContext* c = impl_->context.get();
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& argv : commands) {
    if (argv.empty()) return make_error("redis_usage", "redis: empty command");
    args.clear();
    lens.clear();
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    // Only buffers locally; the first redisGetReply writes everything in one go.
    if (redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data()) != REDIS_OK) {
      return impl_->io_error("append failed");
    }
  }
  out.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK || !raw) return impl_->io_error("read failed");
    ReplyPtr reply(static_cast<redisReply*>(raw));
    out.push_back(convert(*reply));
  }
  return out;
}

bool RedisClient::ping() {
  auto reply = command({"PING"});
  return reply && reply->type == RedisReply::Type::Status && reply->str == "PONG";
}

}  // namespace switchyard
