// A TCP relay in front of Redis that counts round trips: a client's bytes that follow bytes
// from the server (or open the connection) start a new round trip. A pipelined batch — many
// commands written at once, then all replies read — is one.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace switchyard::bench {

class RedisProxy {
 public:
  RedisProxy(std::string upstream_host, uint16_t upstream_port);  // listens on 127.0.0.1:0
  uint16_t port() const { return port_; }
  uint64_t round_trips() const { return round_trips_.load(); }
  // Runs for the life of the process (its threads are detached): a benchmark tool's lifetime.

 private:
  void accept_loop();
  std::string upstream_host_;
  uint16_t upstream_port_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> round_trips_{0};
};

}  // namespace switchyard::bench
