// FaultFront: the sandbox's public listener. It relays every connection byte for byte to the
// sandbox's HTTP server on a private loopback port, and carries out "drop" faults, which an
// HTTP server cannot: a response marked X-Sandbox-Fault: drop is cut where the mark says
// (ResponseCutter) and both connections are closed, so the client sees a connection dropped
// mid-response. One thread per connection: the sandbox serves a handful of clients.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace switchyard::sandbox {

class FaultFront {
 public:
  FaultFront(std::string address, uint16_t port, uint16_t upstream_port);
  ~FaultFront();
  FaultFront(const FaultFront&) = delete;
  FaultFront& operator=(const FaultFront&) = delete;

  void start();  // binds and listens; throws std::runtime_error naming the address
  uint16_t port() const { return port_; }
  void stop();  // closes the listener and every relayed connection

 private:
  struct Connection {
    int client = -1;
    int upstream = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void accept_loop();
  void relay(Connection& c);
  void reap(bool all);

  std::string address_;
  uint16_t port_;
  uint16_t upstream_port_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // written once at stop: wakes every poll()
  std::thread acceptor_;
  std::mutex mu_;
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace switchyard::sandbox
