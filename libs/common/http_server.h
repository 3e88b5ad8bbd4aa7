// HttpServer: an asynchronous HTTP/1.1 server (Boost.Beast) with keep-alive, a small router
// with {param} captures, and hard bounds on every input: header size, body size, idle time.
// Handlers may answer later and from another thread (see http::Responder).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/http_types.h"

namespace switchyard {
class Heartbeats;
}

namespace switchyard::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                        // 0 = pick a free port; see HttpServer::port()
  size_t max_body_bytes = 1 << 20;          // larger bodies get 413 before the handler runs
  size_t max_header_bytes = 16 * 1024;      // larger headers get 431
  // Each connection's read buffer, reserved when it opens. Beast reads at most the buffer's
  // free space (512 bytes when it has none), and its parser empties the buffer after every
  // read, so an unreserved buffer never grows: a 2.5 KB webhook took five recvmsg calls. 8 KB
  // reads a typical webhook in one; larger bodies come in reads of this size.
  size_t read_buffer_bytes = 8 * 1024;
  size_t threads = 2;                       // io threads
  std::chrono::seconds idle_timeout{30};    // keep-alive connections idle longer are closed
  std::chrono::seconds read_timeout{10};    // a request must arrive completely within this
  // When set, each io thread registers a heartbeat "<heartbeat_group>-<i>" and beats after
  // every handler it runs and at least every Heartbeats::interval() while idle, so a handler
  // that blocks its io thread shows as a stale loop (/healthz). Must outlive the server.
  Heartbeats* heartbeats = nullptr;
  std::string heartbeat_group = "http-io";
};

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Pattern segments "{name}" capture into Request::params. Register before start().
  // No route for the path → 404; path known but not the method → 405 with Allow.
  void route(std::string method, std::string pattern, Handler handler);

  // Binds and starts the io threads; throws std::runtime_error naming the address on failure.
  void start();
  uint16_t port() const;
  // Stops accepting, lets in-flight requests finish for up to `grace`, then closes.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::http
