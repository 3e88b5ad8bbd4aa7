// RedisWorker: where an HTTP handler sends work that reads or writes Redis (the activity view,
// dead-letter browsing), so a slow or unreachable Redis never holds an HTTP thread. One thread
// with its own connection takes jobs from a short queue; a full queue refuses at once (the
// caller answers 503), and jobs still queued at shutdown get their `cancelled` call.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/redis_client.h"

namespace switchyard {

class RedisWorker {
 public:
  explicit RedisWorker(RedisSettings settings, size_t queue = 16);
  ~RedisWorker();
  RedisWorker(const RedisWorker&) = delete;
  RedisWorker& operator=(const RedisWorker&) = delete;

  // False when the queue is full or the worker is stopping. Exactly one of `job` (on the
  // worker's thread, with its connection) and `cancelled` (at shutdown) is called.
  bool submit(std::function<void(RedisClient&)> job, std::function<void()> cancelled);

 private:
  struct Job {
    std::function<void(RedisClient&)> run;
    std::function<void()> cancelled;
  };
  void loop();

  RedisSettings settings_;
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard
