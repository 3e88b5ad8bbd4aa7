// BackgroundReadiness: runs a readiness check (which may block, e.g. a Kafka metadata request
// of up to a second) on its own thread every `interval`, and keeps the latest answer for
// /readyz. The HTTP IO threads only read the cached answer, so probes — which need no
// authentication — can never stall webhook handling, however many arrive.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace switchyard {

class BackgroundReadiness {
 public:
  // `check` returns "" when ready, else the reason it is not.
  BackgroundReadiness(std::function<std::string()> check, std::chrono::milliseconds interval);
  ~BackgroundReadiness();

  // Runs the first check before returning (so a fresh process answers from a real result),
  // then keeps refreshing in the background until stop().
  void start();
  void stop();
  // The latest check's answer: "" when ready. "starting" before start().
  std::string current() const;

 private:
  void run();

  std::function<std::string()> check_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::string reason_ = "starting";
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard
