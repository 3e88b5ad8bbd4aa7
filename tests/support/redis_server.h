// A real redis-server on a free loopback port for one test (or suite), without persistence.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/redis_client.h"
#include "support/child_process.h"

namespace switchyard::testing {

class RedisServer {
 public:
  // Starts redis-server and waits until it answers PING (10 s), else throws with the log path.
  // `password` (optional) is set as requirepass.
  explicit RedisServer(std::string password = "");
  ~RedisServer();

  uint16_t port() const { return port_; }
  std::string url() const;            // redis://127.0.0.1:<port> (with the password if any)
  RedisSettings settings() const;     // host, port and password for RedisClient
  const std::string& log_path() const { return log_path_; }

  // For outage tests: stop() kills the server (SIGTERM), start() brings it back on the same port
  // with an empty dataset.
  void stop();
  void start();

 private:
  void launch();

  uint16_t port_ = 0;
  std::string password_;
  std::string log_path_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace switchyard::testing
