// Carries out planned faults against the chaos stack, and their recoveries (a killed service
// restarted, brokers back up) when they are due. Runs on the test's main thread, which owns the
// child processes. Every fault goes into the ledger, with whether it may explain a copy.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "chaos_stack.h"
#include "common/http_client.h"
#include "fault_plan.h"
#include "ledger.h"

namespace switchyard::chaos {

class FaultRunner {
 public:
  FaultRunner(ChaosStack& stack, Ledger& ledger, std::chrono::steady_clock::time_point start)
      : stack_(stack), ledger_(ledger), start_(start) {}

  // Sandbox faults for a PSA replace that PSA's pending rule, so one that would cut another
  // short waits (up to 20 s) until the sandbox has applied the earlier one.
  void apply(const PlannedFault& fault);
  // Due recoveries, and services that exited on their own restarted.
  void tick();
  // Every pending recovery now; sandbox faults cleared, brokers up, request errors cleared.
  void recover_all();
  const std::vector<std::string>& unplanned_restarts() const { return unplanned_; }

 private:
  using Clock = std::chrono::steady_clock;
  void log(const std::string& what);
  void after(std::chrono::milliseconds delay, std::string what, std::function<void()> action);
  void sandbox_fault(const std::string& psa, const std::string& json);
  bool sandbox_busy(const std::string& psa);
  void kafka(const std::string& command);

  ChaosStack& stack_;
  Ledger& ledger_;
  Clock::time_point start_;
  std::multimap<Clock::time_point, std::pair<std::string, std::function<void()>>> pending_;
  std::vector<std::string> unplanned_;
  http::HttpClient client_;
  int leader_shift_ = 0;
  std::map<FaultType, Clock::time_point> deferred_since_;
};

}  // namespace switchyard::chaos
