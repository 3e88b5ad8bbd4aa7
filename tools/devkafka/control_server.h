// devkafka's control channel: a loopback TCP listener that reads one command per line and
// answers one line ("ok" or "error <why>"), see control_commands.h. One client at a time, in
// the order connected; loopback only and meant for tests, so there is no authentication.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

struct rd_kafka_mock_cluster_s;

namespace devkafka {

class ControlServer {
 public:
  ControlServer(rd_kafka_mock_cluster_s* cluster, int brokers) : cluster_(cluster), brokers_(brokers) {}
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds 127.0.0.1:port (0 = any free port); false with `error` set when it cannot.
  bool start(uint16_t port, std::string& error);
  uint16_t port() const { return port_; }
  void stop();

 private:
  void serve();
  void serve_client(int fd);

  rd_kafka_mock_cluster_s* cluster_;
  int brokers_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace devkafka
