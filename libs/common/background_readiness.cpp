#include "common/background_readiness.h"

namespace switchyard {

BackgroundReadiness::BackgroundReadiness(std::function<std::string()> check, std::chrono::milliseconds interval)
    : check_(std::move(check)), interval_(interval) {}

BackgroundReadiness::~BackgroundReadiness() { stop(); }

void BackgroundReadiness::start() {
  if (thread_.joinable()) return;
  std::string first = check_();
  {
    std::lock_guard lock(mutex_);
    reason_ = std::move(first);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void BackgroundReadiness::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string BackgroundReadiness::current() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

void BackgroundReadiness::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    std::string reason = check_();  // may block: outside the lock, so current() never waits
    std::lock_guard lock(mutex_);
    reason_ = std::move(reason);
  }
}

}  // namespace switchyard
