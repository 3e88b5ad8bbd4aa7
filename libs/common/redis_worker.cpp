#include "common/redis_worker.h"

namespace switchyard {

RedisWorker::RedisWorker(RedisSettings settings, size_t queue)
    : settings_(std::move(settings)), capacity_(queue), thread_([this] { loop(); }) {}

RedisWorker::~RedisWorker() {
  std::deque<Job> left;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(queue_);
  }
  wake_.notify_all();
  for (Job& job : left) job.cancelled();
  thread_.join();
}

bool RedisWorker::submit(std::function<void(RedisClient&)> job, std::function<void()> cancelled) {
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() >= capacity_) return false;
  queue_.push_back(Job{std::move(job), std::move(cancelled)});
  wake_.notify_one();
  return true;
}

void RedisWorker::loop() {
  // Created and used on this thread only; it connects on first use.
  RedisClient redis(settings_);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.run(redis);
  }
}

}  // namespace switchyard
