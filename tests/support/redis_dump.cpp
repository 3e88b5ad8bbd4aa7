#include "support/redis_dump.h"

#include <stdexcept>

namespace switchyard::testing {
namespace {

RedisReply checked(RedisClient& redis, const std::vector<std::string>& argv) {
  auto reply = redis.checked_command(argv);
  if (!reply) throw std::runtime_error("redis " + argv[0] + ": " + reply.error().message);
  return *reply;
}

// Every string in a reply, nested arrays (stream entries) included, one a line.
void flatten(const RedisReply& reply, std::string& out) {
  if (reply.type == RedisReply::Type::Array) {
    for (const auto& e : reply.elements) flatten(e, out);
    return;
  }
  if (reply.type == RedisReply::Type::Integer) {
    out += std::to_string(reply.integer);
  } else {
    out += reply.str;
  }
  out += '\n';
}

std::vector<std::string> read_command(const std::string& type, const std::string& key) {
  if (type == "string") return {"GET", key};
  if (type == "hash") return {"HGETALL", key};
  if (type == "list") return {"LRANGE", key, "0", "-1"};
  if (type == "set") return {"SMEMBERS", key};
  if (type == "zset") return {"ZRANGE", key, "0", "-1", "WITHSCORES"};
  if (type == "stream") return {"XRANGE", key, "-", "+"};
  return {};
}

}  // namespace

std::vector<RedisEntry> dump_redis(RedisClient& redis) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    const RedisReply page = checked(redis, {"SCAN", cursor, "COUNT", "1000"});
    if (page.elements.size() != 2) throw std::runtime_error("redis SCAN: unexpected reply");
    cursor = page.elements[0].str;
    for (const auto& key : page.elements[1].elements) keys.push_back(key.str);
  } while (cursor != "0");

  std::vector<RedisEntry> out;
  for (const auto& key : keys) {
    RedisEntry entry;
    entry.key = key;
    entry.type = checked(redis, {"TYPE", key}).str;
    if (entry.type == "none") continue;  // expired between SCAN and TYPE
    const auto command = read_command(entry.type, key);
    if (command.empty()) {
      entry.read = false;
    } else {
      flatten(checked(redis, command), entry.value);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace switchyard::testing
