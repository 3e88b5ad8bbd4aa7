// RedisHealth: what a consumer's /readyz reports about Redis. The worker thread owns the
// (single-threaded) RedisClient, so it records outcomes here and pings while idle — at most
// every `interval`, not on every empty poll; the HTTP thread only reads the flag.
#pragma once

#include <atomic>
#include <chrono>

#include "common/redis_client.h"

namespace switchyard {

class RedisHealth {
 public:
  explicit RedisHealth(std::chrono::milliseconds interval = std::chrono::seconds(2)) : interval_(interval) {}

  bool ok() const { return ok_.load(); }
  void record(bool ok) { ok_ = ok; }
  // From the worker thread when it has nothing else to do.
  void ping_if_due(RedisClient& redis) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ping_ < interval_) return;
    last_ping_ = now;
    ok_ = redis.ping();
  }

 private:
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_ping_{};
  std::atomic<bool> ok_{false};
};

}  // namespace switchyard
