// RedisTransport: one connection to one Redis node over TCP or TLS, with blocking calls that
// each end by a deadline. Commands are encoded and replies decoded by hiredis (its RESP writer
// and reader); the bytes travel over Boost.Asio, since hiredis 0.14 has no TLS. Keeps Asio and
// OpenSSL out of the headers that services include.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/resp_encode.h"
#include "common/result.h"

namespace switchyard {

class RedisTransport {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  RedisTransport();
  ~RedisTransport();
  RedisTransport(const RedisTransport&) = delete;
  RedisTransport& operator=(const RedisTransport&) = delete;

  // Resolves, connects and (with tls.enabled) handshakes, verifying the server certificate.
  // Errors: "redis_unavailable" (network, timeout), "redis_tls" (certificates, handshake).
  Status connect(const std::string& host, int port, const RedisTlsSettings& tls, Deadline deadline);
  bool connected() const;
  // Drops the connection; the next connect() starts afresh.
  void close();

  // Writes all commands at once, then reads one reply per command: one round trip. Any failure
  // (IO, timeout, a protocol error, more than max_reply_bytes) closes the connection, since
  // its replies can no longer be matched to commands.
  Result<std::vector<RedisReply>> round_trip(const RespPipeline& commands, Deadline deadline, size_t max_reply_bytes);
  // The same for commands built as argument vectors; an empty command is a "redis_usage" error.
  Result<std::vector<RedisReply>> round_trip(const std::vector<std::vector<std::string>>& commands,
                                             Deadline deadline, size_t max_reply_bytes);

  // "host:port" of the node, for error messages.
  const std::string& peer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
