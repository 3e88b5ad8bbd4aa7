// HeldAnswers: runs callbacks (answers of timeout faults, requests held by the latency of
// tenant_middleware.h) after a delay on one timer thread, so a held request costs no io thread. release_all() runs every pending callback at once:
// the sandbox calls it before stopping its server, which otherwise waits for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace switchyard::sandbox {

class HeldAnswers {
 public:
  HeldAnswers();
  ~HeldAnswers();
  HeldAnswers(const HeldAnswers&) = delete;
  HeldAnswers& operator=(const HeldAnswers&) = delete;

  void after(std::chrono::milliseconds delay, std::function<void()> answer);
  void release_all();

 private:
  using Clock = std::chrono::steady_clock;
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, std::function<void()>> pending_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace switchyard::sandbox
