#include "psa-sandbox/held_answers.h"

#include <vector>

namespace switchyard::sandbox {

HeldAnswers::HeldAnswers() : thread_([this] { run(); }) {}

HeldAnswers::~HeldAnswers() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  release_all();  // anything added while stopping: answer rather than drop
}

void HeldAnswers::after(std::chrono::milliseconds delay, std::function<void()> answer) {
  bool earliest = false;
  {
    std::lock_guard lock(mu_);
    const auto when = Clock::now() + delay;
    earliest = pending_.empty() || when < pending_.begin()->first;
    pending_.emplace(when, std::move(answer));
  }
  // The timer thread sleeps until the earliest entry: only a new earliest one must wake it
  // (hundreds of delayed requests a second would otherwise wake it for nothing).
  if (earliest) cv_.notify_all();
}

void HeldAnswers::release_all() {
  std::multimap<Clock::time_point, std::function<void()>> due;
  {
    std::lock_guard lock(mu_);
    due.swap(pending_);
  }
  for (auto& [when, answer] : due) answer();
}

void HeldAnswers::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (pending_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto next = pending_.begin()->first;
    if (Clock::now() < next) {
      cv_.wait_until(lock, next);
      continue;
    }
    // Answer outside the lock: an answer may hold a new request (keep-alive client retries).
    std::vector<std::function<void()>> due;
    while (!pending_.empty() && pending_.begin()->first <= Clock::now()) {
      due.push_back(std::move(pending_.begin()->second));
      pending_.erase(pending_.begin());
    }
    lock.unlock();
    for (auto& answer : due) answer();
    lock.lock();
  }
}

}  // namespace switchyard::sandbox
