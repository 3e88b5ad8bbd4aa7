// The chaos suite's redis-server: persistent (AOF with appendfsync always, plus RDB on
// shutdown) on a fixed loopback port and data directory, so it can be restarted in place in
// the three ways docs/reliability.md compares.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.h"

namespace switchyard::chaos {

class ChaosRedis {
 public:
  // Starts at once and waits until it answers PING; throws std::runtime_error naming the log.
  ChaosRedis(std::filesystem::path data_dir, std::string log_path);
  ~ChaosRedis();

  uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // kill -9, then start again: the AOF (fsync'd on every write) brings back every key.
  void crash_and_restart();
  // SIGTERM (Redis writes its files on shutdown), then start again: every key is back.
  void graceful_restart();
  // kill -9, delete the data files, start again: every key is gone, exactly as when a Redis
  // that runs without persistence restarts.
  void restart_losing_data();
  void kill();  // for the end of the test

 private:
  void launch();

  std::filesystem::path dir_;
  std::string log_path_;
  uint16_t port_ = 0;
  std::unique_ptr<testing::ChildProcess> process_;
};

}  // namespace switchyard::chaos
