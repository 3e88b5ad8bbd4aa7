// RedisClient: a blocking Redis connection (TCP or TLS, common/redis_transport.h) with
// pipelining (many commands, one round trip) and transparent reconnect on the next call after a
// failure, through Sentinel when configured. Not thread-safe: one per worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace switchyard {

class SecretKeyring;
class RespPipeline;

// TLS for rediss:// (SWITCHYARD_REDIS_TLS_*). The server certificate and its host name are
// verified unless insecure_skip_verify, which exists for throwaway test setups only.
struct RedisTlsSettings {
  bool enabled = false;
  std::string ca_file;      // PEM; empty: the system's trust store
  std::string cert_file;    // client certificate chain (PEM), for mutual TLS
  std::string key_file;     // its private key (PEM)
  std::string server_name;  // name to verify and send as SNI; empty: the host connected to
  bool insecure_skip_verify = false;
};

// Sentinel discovery (SWITCHYARD_REDIS_SENTINELS): on every (re)connect the sentinels are asked
// in turn for the current master of `master_name`, which must then answer ROLE with "master".
struct RedisSentinelSettings {
  std::vector<std::pair<std::string, int>> sentinels;  // host, port
  std::string master_name;
  std::string user;      // ACL user on the sentinels, if any
  std::string password;  // never logged
  bool enabled() const { return !sentinels.empty(); }
};

struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // ACL user; empty: the default user
  std::string password;  // never logged
  int db = 0;
  std::chrono::milliseconds timeout{2000};  // for each (re)connect, discovery included, and each command or pipeline
  RedisTlsSettings tls;
  RedisSentinelSettings sentinel;  // when enabled, host and port are discovered
  // The most reply bytes one command or pipeline may read: a bound on what a misbehaving or
  // hostile server can make a worker buffer (the services' values are a few KiB).
  size_t max_reply_bytes = 64 * 1024 * 1024;
  // Seals the secrets kept in Redis (tokens; common/secret_box.h), from
  // SWITCHYARD_SECRET_KEYS_FILE. Null: the process's ephemeral key.
  std::shared_ptr<const SecretKeyring> at_rest_keys;
};
// "redis://[[user]:password@]host[:port][/db]" or rediss:// (TLS); user and password may be
// percent-encoded. Errors name what is wrong, never echo the password.
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
  // The same for a pipeline written straight into RESP (common/resp_encode.h), without the
  // argument vectors: the hot batches' way.
  Result<std::vector<RedisReply>> pipeline(const RespPipeline& commands);
  bool ping();
  // The keys that seal secrets this client stores (RedisSettings::at_rest_keys).
  const SecretKeyring& at_rest_keys() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
