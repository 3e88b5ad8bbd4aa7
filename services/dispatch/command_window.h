// CommandWindow: the commands dispatch holds between consuming them and storing their offsets,
// and the order they may run in (the design of Confluent's Parallel Consumer, per key):
//
//  - a *lane* per Kafka key (tenant/external_ref): only its head runs, so commands about one
//    record keep their order; different lanes run at the same time;
//  - a *queue* per tenant: its lanes wait there in arrival order; at most `tenant_in_flight`
//    of them run at once, and tenants are served round-robin, so a tenant with a long backlog
//    never crowds out the others;
//  - a tenant is *parked* while its PSA throttles or fails: none of its lanes runs until the
//    pause has passed, and the workers serve everyone else meanwhile;
//  - per partition, the offsets still unfinished: the consumer stores offsets only up to the
//    lowest of them, so a crash redelivers at most the window.
//
// Thread-safe: the consumer thread admits and sweeps, worker threads take and settle.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/command.h"
#include "common/recipe.h"
#include "common/heartbeats.h"
#include "common/kafka_consumer.h"
#include "common/result.h"

namespace switchyard::dispatch {

using SteadyClock = std::chrono::steady_clock;

struct WindowEntry {
  KafkaMessage message;
  Result<Command> command = make_error("unparsed", "");
  // A recipe command (common/recipe.h) instead: `command` then holds unknown_command_type.
  std::optional<RecipeCommand> recipe{};
  std::string tenant;       // a configured tenant's id; "" when the command names none we know
  bool from_retry = false;  // consumed from the retry topic
  std::string origin;       // "<topic>:<partition>:<offset>" of the command's first delivery
  int attempts = 0;         // failed PSA attempts so far; waiting while parked does not count
  int64_t parked_since_ms = 0;  // wall clock (ms) the command was first parked; 0 = never
  SteadyClock::time_point admitted{};
};

struct TenantWindowStats {
  std::string tenant;
  size_t waiting = 0;        // held, not running
  size_t in_flight = 0;
  double oldest_waiting_seconds = 0;
  bool parked = false;
  std::string park_reason;   // "psa_throttled", "rate_limit", "psa_failing", ...
};

class CommandWindow {
 public:
  struct Limits {
    size_t tenant_capacity = 1000;  // commands a parked tenant may hold before they move to the retry topic
  };
  explicit CommandWindow(Limits limits);

  // Consumer thread. Takes ownership; the entry waits in its lane. `tenant_in_flight` is the
  // tenant's concurrency (kept from its first admission).
  void admit(WindowEntry entry, size_t tenant_in_flight);
  // Consumer thread: records an entry that does not run yet (it is being moved to the retry
  // topic, or is a retry-topic command not due yet); it counts as unfinished until finish(),
  // and runs once enqueue() puts it in its lane.
  WindowEntry* hold(WindowEntry entry);
  void enqueue(WindowEntry* entry, size_t tenant_in_flight);

  // Worker threads: the next entry to run, or nullptr once `stop` is set. Waits in slices of
  // at most 200 ms, beating `beat` (when given) on every wake-up.
  WindowEntry* take(const std::atomic<bool>& stop, Heartbeat* beat = nullptr);
  // The entry is done (executed, skipped, dead-lettered or safely moved): its offset may be stored.
  void finish(WindowEntry* entry);
  // The entry's tenant is parked until `until` (throttled, or its PSA failing); the entry
  // stays first in its lane and runs again after the pause. The tenant's reason is that of the
  // park that set its deadline, but a rate-limiter refusal never relabels a park already running
  // (it echoes the PSA's Retry-After), and a pause by the operator always shows.
  void park(WindowEntry* entry, SteadyClock::time_point until, const std::string& reason);
  // The entry stays unfinished and does not run again here (shutting down): redelivered later.
  void release(WindowEntry* entry);

  // Consumer thread: per partition whose finished prefix grew, the last offset to store.
  std::vector<std::pair<TopicPartitionId, int64_t>> advanced_offsets();

  struct Sweep {
    std::vector<WindowEntry*> divert;  // to the retry topic (then finish(); or restore() on failure)
    std::vector<WindowEntry*> expire;  // parked longer than allowed: dead-letter (then finish())
  };
  // Consumer thread. Takes out of their lanes the waiting, not-yet-diverted commands of
  // parked tenants that hold more than the capacity, were parked at least `divert_after`, or
  // when `window_full`; and any command parked since before `expire_before_ms` (wall clock),
  // except those of a paused tenant (kTenantPaused).
  Sweep sweep(SteadyClock::time_point now, std::chrono::milliseconds divert_after, bool window_full,
              int64_t expire_before_ms);
  // A swept entry whose move failed goes back to the front of its lane.
  void restore(const std::vector<WindowEntry*>& entries);

  // Consumer thread, inside the revoke callback: forgets the waiting entries of these
  // partitions (their new owner gets them from the committed offset), waits for their running
  // ones (logging every `timeout`), and returns the offsets to store before the revoke commits.
  // While it waits it beats `beat` (when given) every Heartbeat::interval(): waiting for
  // running commands is legitimate; a worker stuck in one shows as that worker's stale beat.
  std::vector<std::pair<TopicPartitionId, int64_t>> revoke(const std::vector<TopicPartitionId>& partitions,
                                                           std::chrono::milliseconds timeout,
                                                           Heartbeat* beat = nullptr);

  // When a parked tenant may run again; nullopt when it is not parked.
  std::optional<SteadyClock::time_point> parked_until(const std::string& tenant) const;
  // Waiting (not running) commands of a tenant, for admission from the retry topic.
  size_t waiting(const std::string& tenant) const;
  size_t held() const;       // every unfinished entry
  size_t in_flight() const;  // running now
  std::vector<TenantWindowStats> stats(SteadyClock::time_point now) const;
  // Wakes every waiting worker (shutdown).
  void wake_all();

 private:
  struct Lane {
    std::deque<WindowEntry*> entries;
    bool running = false;
  };
  struct TenantQueue {
    std::deque<std::string> ready;  // lanes whose head may run, oldest first
    size_t in_flight = 0;
    size_t waiting = 0;
    size_t cap = 1;
    SteadyClock::time_point parked_until{};
    SteadyClock::time_point parked_at{};  // start of the current park
    std::string park_reason;
    bool queued = false;  // in runnable_
  };
  struct PartitionState {
    std::map<int64_t, std::unique_ptr<WindowEntry>> unfinished;
    int64_t next_offset = -1;  // one past the highest offset admitted
    int64_t stored = -1;       // last offset stored
    bool revoking = false;
  };

  static std::string lane_key(const WindowEntry& e);
  bool parked(const TenantQueue& q, SteadyClock::time_point now) const { return q.parked_until > now; }
  void make_runnable(const std::string& tenant, TenantQueue& q);
  void lane_ready(const std::string& key, Lane& lane, bool front);
  PartitionState* partition_of(const WindowEntry& e);
  // Removes `e` (the running head) from its lane; the lane's next entry becomes ready.
  void pop_head(WindowEntry* e);
  // Takes a waiting entry out of its lane; false when it was not in one.
  bool drop_from_lane(WindowEntry* e);
  std::unique_ptr<WindowEntry> remove_unfinished(WindowEntry* e);
  int64_t low_water(const PartitionState& p) const;

  Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable work_;     // workers: something may be runnable
  std::condition_variable settled_;  // revoke: a running entry settled
  std::unordered_map<std::string, Lane> lanes_;
  std::map<std::string, TenantQueue> tenants_;
  std::deque<std::string> runnable_;  // tenants that may have work, round-robin
  std::set<std::pair<SteadyClock::time_point, std::string>> park_timers_;
  std::map<TopicPartitionId, PartitionState> partitions_;
  size_t held_ = 0;
  size_t in_flight_ = 0;
};

}  // namespace switchyard::dispatch
