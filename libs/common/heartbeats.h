// Heartbeats: liveness of the threads that do a service's work. Every worker loop (consumer
// loops, dispatch's workers, the poller's threads, the HTTP io threads) registers a Heartbeat
// and beats it at each iteration — and before each blocking call that may take long — so a
// loop whose beat has not advanced within the timeout is stuck (a deadlock, a call without a
// timeout, a handler that never returns). /healthz answers 503 naming it, and the orchestrator
// restarts the process. A loop idle waiting for work must still beat: it waits in slices of at
// most Heartbeat::interval() and beats on every wake-up.
//
// Thread-safe. beat() is one relaxed atomic store (no lock), cheap enough for every iteration.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace switchyard {

// One loop's heartbeat. Move-only; the loop stops being watched when its handle is destroyed
// (a loop that ended on purpose is not stuck). A default-constructed handle is detached:
// beat() does nothing, so code that is also run without a registry (tests, tools) needs no
// special case.
class Heartbeat {
 public:
  Heartbeat() = default;
  Heartbeat(Heartbeat&&) noexcept = default;
  Heartbeat& operator=(Heartbeat&& other) noexcept;
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;
  ~Heartbeat();

  void beat();
  // The longest a loop should wait (for work, for a lock) between two beats.
  std::chrono::milliseconds interval() const;
  explicit operator bool() const { return slot_ != nullptr; }

 private:
  friend class Heartbeats;
  struct Slot;
  explicit Heartbeat(std::shared_ptr<Slot> slot) : slot_(std::move(slot)) {}
  void retire();
  std::shared_ptr<Slot> slot_;
};

class Heartbeats {
 public:
  using Clock = std::chrono::steady_clock;

  // A loop whose last beat is older than `timeout` is stale.
  explicit Heartbeats(std::chrono::milliseconds timeout);
  Heartbeats(const Heartbeats&) = delete;
  Heartbeats& operator=(const Heartbeats&) = delete;

  // Registers a loop, beating once. `group` is the kind of loop, a fixed word used as the
  // metric label (consumer, dispatch-worker, http-io, ...: never a tenant); `name` tells this
  // loop apart in /healthz ("dispatch-worker-17"); empty = the group.
  Heartbeat add(std::string group, std::string name = "");

  std::chrono::milliseconds timeout() const { return timeout_; }
  // How often loops should beat at least: a quarter of the timeout, between 10 ms and 1 s.
  std::chrono::milliseconds interval() const { return interval_; }

  struct Loop {
    std::string name, group;
    double age_seconds = 0;  // since its last beat
    bool stale = false;
  };
  struct Report {
    bool healthy = true;
    size_t loops = 0;            // watched now
    std::vector<Loop> stale;     // oldest first
  };
  Report check(Clock::time_point now = Clock::now()) const;
  // Every watched loop (for metrics).
  std::vector<Loop> loops(Clock::time_point now = Clock::now()) const;

 private:
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  mutable std::vector<std::shared_ptr<Heartbeat::Slot>> slots_;  // retired ones are pruned on read
};

// The /healthz body for a report: {"status":"ok"} or {"status":"stale","timeout_seconds":..,
// "stale_loops":N,"stale":[{"loop":..,"age_seconds":..},...]} (at most 20 listed).
std::string heartbeat_report_json(const Heartbeats::Report& report, std::chrono::milliseconds timeout);

}  // namespace switchyard
