// PollSchedule: this replica's view of when each tenant/entity is due, and the queue the poll
// workers take work from. Thread-safe. It only decides when to *try*: whether this replica
// polls is decided by the lease in Redis (poll_store.h), and a lease held elsewhere moves the
// item's due time to when that lease ends.
//
// A worker takes the most overdue live item first; a backfill item only while fewer than
// `backfill_slots` backfills run here, so backfills never take the whole pool. Items of a
// tenant that is throttled (its rate limit, or its PSA's 429) are not handed out before the
// throttle ends, so no worker ever waits on a throttled tenant.
//
// The items follow the tenants configuration (retain() and add() after a reload): an item no
// longer wanted is retired (never handed out again; one in flight finishes its turn) and comes
// back at the same index when wanted again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/heartbeats.h"
#include "common/tenants.h"
#include "ingest/poll_store.h"

namespace switchyard::ingest {

class PollSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  struct Item {
    std::string tenant;  // id: the tenant itself is looked up afresh for every turn
    std::string entity;
    PollKind kind = PollKind::Live;
    auto operator<=>(const Item&) const = default;
  };

  explicit PollSchedule(size_t backfill_slots);

  // Adds an item, first due at `due`, or brings back a retired one; an item already scheduled
  // keeps its due time. Returns its index; true when it was new or retired.
  std::pair<size_t, bool> add(const Item& item, Clock::time_point due);
  // Retires every item not in `wanted`; returns how many.
  size_t retain(const std::set<Item>& wanted);
  // A copy: items may be added while a worker reads one.
  Item item(size_t index) const;
  size_t size() const;  // items scheduled (not retired)

  // Blocks until an item may be worked on (or stop()); marks it in flight. With `beat`, waits
  // in slices of at most beat->interval() and beats on every wake-up.
  std::optional<size_t> take(Heartbeat* beat = nullptr);
  // The worker is done with it: next due at `due`; `finished` = never again (a backfill done).
  void finish(size_t index, Clock::time_point due, bool finished = false);
  // Due now (a sync request). An item in flight is due again as soon as it finishes.
  void due_now(const std::string& tenant, const std::string& entity, PollKind kind);
  // No item of the tenant is handed out before `until`.
  void throttle_tenant(const std::string& tenant, Clock::time_point until);
  void stop();

  struct Stats {
    size_t in_flight[2] = {0, 0};  // by PollKind
    size_t due[2] = {0, 0};        // due and eligible, but no worker took them yet
    double oldest_due_seconds[2] = {0, 0};
    size_t unfinished_backfills = 0;
  };
  Stats stats() const;

 private:
  struct State {
    Clock::time_point due;
    bool in_flight = false;
    bool finished = false;
    bool again = false;  // due_now while in flight
    bool retired = false;  // no longer configured
  };
  using Queue = std::set<std::pair<Clock::time_point, size_t>>;
  Queue& queue_of(size_t index) { return queues_[static_cast<int>(items_[index].kind)]; }
  Clock::time_point eligible_at(size_t index) const;  // due, pushed back by a tenant throttle
  void enqueue(size_t index);
  void dequeue(size_t index);
  // The first item of `queue` eligible now, else nullopt (and `next` lowered to when one will be).
  std::optional<size_t> first_ready(Queue& queue, Clock::time_point now, Clock::time_point& next);

  std::vector<Item> items_;
  std::vector<State> states_;
  std::map<Item, size_t> index_of_;
  std::map<std::string, std::vector<size_t>, std::less<>> by_tenant_;
  std::map<std::string, Clock::time_point, std::less<>> throttled_until_;
  size_t backfill_slots_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Queue queues_[2];  // items not in flight and not finished, by eligible time
  size_t in_flight_[2] = {0, 0};
  bool stopping_ = false;
};

}  // namespace switchyard::ingest
