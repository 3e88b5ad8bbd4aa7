#include "common/redis_sentinel.h"

#include <charconv>

namespace switchyard {
namespace {

std::vector<std::string> auth_command(const std::string& user, const std::string& password) {
  if (user.empty()) return {"AUTH", password};
  return {"AUTH", user, password};
}

Result<RedisNodeAddress> ask_one(const RedisSettings& settings, const std::string& host, int port,
                                 RedisTransport::Deadline deadline) {
  RedisTransport sentinel;
  if (auto s = sentinel.connect(host, port, settings.tls, deadline); !s) return s.error();
  std::vector<std::vector<std::string>> commands;
  const RedisSentinelSettings& config = settings.sentinel;
  if (!config.password.empty()) commands.push_back(auth_command(config.user, config.password));
  commands.push_back({"SENTINEL", "get-master-addr-by-name", config.master_name});
  auto replies = sentinel.round_trip(commands, deadline, 64 * 1024);
  if (!replies) return replies.error();
  if (!config.password.empty() && replies->front().type == RedisReply::Type::Error) {
    return make_error("redis_auth", "AUTH failed: " + replies->front().str);
  }
  const RedisReply& addr = replies->back();
  if (addr.type == RedisReply::Type::Error) return make_error("redis_error", addr.str);
  if (addr.is_nil()) return make_error("redis_error", "does not know master '" + config.master_name + "'");
  if (addr.type != RedisReply::Type::Array || addr.elements.size() != 2) {
    return make_error("redis_error", "unexpected reply to SENTINEL get-master-addr-by-name");
  }
  RedisNodeAddress out;
  out.host = addr.elements[0].str;
  const std::string& port_text = addr.elements[1].str;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || out.port < 1 || out.port > 65535 ||
      out.host.empty()) {
    return make_error("redis_error", "unexpected master address in the reply");
  }
  return out;
}

}  // namespace

Result<RedisNodeAddress> discover_redis_master(const RedisSettings& settings, RedisTransport::Deadline deadline) {
  std::string failures;
  const auto& sentinels = settings.sentinel.sentinels;
  for (size_t i = 0; i < sentinels.size(); ++i) {
    const auto& [host, port] = sentinels[i];
    // An unreachable sentinel must not use up the time of those after it.
    const auto now = RedisTransport::Deadline::clock::now();
    const auto share = (deadline - now) / static_cast<int>(sentinels.size() - i);
    auto found = ask_one(settings, host, port, now + share);
    if (found) return found;
    failures += (failures.empty() ? "" : "; ") + host + ":" + std::to_string(port) + ": " + found.error().message;
  }
  return make_error("redis_unavailable",
                    "no sentinel named a master for '" + settings.sentinel.master_name + "' (" + failures + ")");
}

bool is_master_role(const RedisReply& role) {
  return role.type == RedisReply::Type::Array && !role.elements.empty() && role.elements[0].str == "master";
}

Result<std::vector<std::pair<std::string, int>>> parse_sentinel_list(std::string_view list) {
  std::vector<std::pair<std::string, int>> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const auto colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return make_error("invalid_redis_sentinels", "expected host:port, got '" + std::string(item) + "'");
    }
    std::string_view host = item.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string_view port_text = item.substr(colon + 1);
    int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return make_error("invalid_redis_sentinels", "port must be 1-65535 in '" + std::string(item) + "'");
    }
    out.emplace_back(std::string(host), port);
  }
  if (out.empty()) return make_error("invalid_redis_sentinels", "no sentinel given");
  return out;
}

}  // namespace switchyard
