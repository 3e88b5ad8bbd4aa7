// A real redis-server on a free loopback port for one test (or suite), without persistence.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "support/child_process.h"

namespace switchyard::testing {

struct RedisServerOptions {
  std::string password;                 // requirepass
  std::vector<std::string> extra_args;  // e.g. {"--maxmemory", "100mb"}, {"--replicaof", ...}
  // TLS only (the plain port is off), with test_certificates(); `mutual_tls` also requires a
  // client certificate (--tls-auth-clients yes).
  bool tls = false;
  bool mutual_tls = false;
  // A Sentinel (redis-server --sentinel) monitoring 127.0.0.1:<sentinel_of> as master "m",
  // down after 1 s, with a quick failover.
  uint16_t sentinel_of = 0;

  // Shorthands (designated initializers that skip a member trip -Wmissing-field-initializers).
  static RedisServerOptions with_args(std::vector<std::string> args) {
    RedisServerOptions o;
    o.extra_args = std::move(args);
    return o;
  }
  static RedisServerOptions with_tls(bool mutual = false, std::string password = "") {
    RedisServerOptions o;
    o.tls = true;
    o.mutual_tls = mutual;
    o.password = std::move(password);
    return o;
  }
  static RedisServerOptions sentinel_monitoring(uint16_t master_port) {
    RedisServerOptions o;
    o.sentinel_of = master_port;
    return o;
  }
};

class RedisServer {
 public:
  // Starts redis-server and waits until it answers PING (10 s), else throws with the log path.
  // `password` (optional) is set as requirepass.
  explicit RedisServer(std::string password = "");
  explicit RedisServer(RedisServerOptions options);
  ~RedisServer();

  uint16_t port() const { return port_; }
  std::string url() const;            // redis:// or rediss://127.0.0.1:<port> (with the password if any)
  RedisSettings settings() const;     // host, port, password and TLS files for RedisClient
  const std::string& log_path() const { return log_path_; }

  // For outage tests: stop() kills the server (SIGTERM), start() brings it back on the same port
  // with an empty dataset.
  void stop();
  void start();

 private:
  void start_on_a_free_port();
  void launch();

  uint16_t port_ = 0;
  RedisServerOptions options_;
  std::string log_path_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace switchyard::testing
