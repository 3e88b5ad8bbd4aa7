// RedisClient: a blocking hiredis connection with pipelining (many commands, one round trip)
// and transparent reconnect on the next call after a failure. Not thread-safe: one per worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace switchyard {

struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // never logged
  int db = 0;
  std::chrono::milliseconds timeout{2000};
};
// "redis://[:password@]host[:port][/db]"; errors name what is wrong, never echo the password.
Result<RedisSettings> parse_redis_url(std::string_view url);

struct RedisReply {
  enum class Type { Nil, Status, String, Integer, Array, Error };
  Type type = Type::Nil;
  std::string str;  // Status, String, Error
  int64_t integer = 0;
  std::vector<RedisReply> elements;
  bool is_nil() const { return type == Type::Nil; }
};

class RedisClient {
 public:
  explicit RedisClient(RedisSettings settings);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // A Redis error reply is a RedisReply of Type::Error; Error results are connection/IO failures.
  Result<RedisReply> command(const std::vector<std::string>& argv);
  // As command(), but a Redis error reply (WRONGTYPE, OOM, ...) is an error result too, for
  // callers to whom any failure means the same thing.
  Result<RedisReply> checked_command(const std::vector<std::string>& argv);
  // Runs a Lua script as EVALSHA with `args` (numkeys, keys..., argv...), loading it first
  // (SCRIPT LOAD) when `sha` is empty or Redis no longer has it (NOSCRIPT after a restart or a
  // SCRIPT FLUSH). `sha` caches the SHA1 between calls. A Redis error reply is an error result.
  Result<RedisReply> eval_script(std::string& sha, std::string_view script, const std::vector<std::string>& args);
  // All commands written at once, then all replies read: one network round trip.
  Result<std::vector<RedisReply>> pipeline(const std::vector<std::vector<std::string>>& commands);
  bool ping();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
