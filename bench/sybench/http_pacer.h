// An open-loop HTTP/1.1 load generator: sends request k at start + k/rate over a pool of
// keep-alive connections, whatever the server's pace (latency counts from the intended send
// time, so a slow server cannot hide its queueing: no coordinated omission).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "report.h"

namespace switchyard::bench {

struct PacedRequest {
  std::string path;
  std::string extra_headers;  // "Name: value\r\n" lines
  std::string body;
};

struct PacerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  double rate = 1000;  // requests per second
  uint64_t count = 0;  // requests in all
  int connections = 64;
};

struct PacerResult {
  uint64_t sent = 0;
  uint64_t ok = 0;      // 2xx
  uint64_t failed = 0;  // other statuses and I/O errors
  double elapsed_s = 0;
  Latencies latency;    // intended send → response, ms
};

// `make(k)` builds request k; `sent(k, intended_wall_ms)` is told when k is due. Blocks until
// every request has its answer.
PacerResult run_paced(const PacerOptions& options, const std::function<PacedRequest(uint64_t)>& make,
                      const std::function<void(uint64_t, double)>& sent);

}  // namespace switchyard::bench
