#include "dispatch/command_window.h"

#include <algorithm>

#include "common/log.h"
#include "connectors/rate_limited_psa_http.h"
#include "dispatch/dispatch_options.h"

namespace switchyard::dispatch {

CommandWindow::CommandWindow(Limits limits) : limits_(limits) {}

std::string CommandWindow::lane_key(const WindowEntry& e) {
  // Commands carry tenant/external_ref as key; a keyless message is a lane of its own.
  return e.message.key.empty() ? "\x1f" + e.origin : e.message.key;
}

CommandWindow::PartitionState* CommandWindow::partition_of(const WindowEntry& e) {
  auto it = partitions_.find({e.message.topic, e.message.partition});
  return it == partitions_.end() ? nullptr : &it->second;
}

int64_t CommandWindow::low_water(const PartitionState& p) const {
  return p.unfinished.empty() ? p.next_offset : p.unfinished.begin()->first;
}

void CommandWindow::make_runnable(const std::string& tenant, TenantQueue& q) {
  if (q.queued || q.ready.empty() || q.in_flight >= q.cap) return;
  if (parked(q, SteadyClock::now())) return;  // its park timer brings it back
  q.queued = true;
  runnable_.push_back(tenant);
  work_.notify_one();
}

void CommandWindow::lane_ready(const std::string& key, Lane& lane, bool front) {
  if (lane.entries.empty() || lane.running) return;
  const std::string& tenant = lane.entries.front()->tenant;
  TenantQueue& q = tenants_[tenant];
  if (front) q.ready.push_front(key);
  else q.ready.push_back(key);
  make_runnable(tenant, q);
}

WindowEntry* CommandWindow::hold(WindowEntry entry) {
  std::lock_guard lock(mutex_);
  PartitionState& p = partitions_[{entry.message.topic, entry.message.partition}];
  const int64_t offset = entry.message.offset;
  if (p.next_offset < 0) p.stored = offset - 1;  // first message since assignment: done up to before it
  p.next_offset = std::max(p.next_offset, offset + 1);
  auto owned = std::make_unique<WindowEntry>(std::move(entry));
  owned->admitted = SteadyClock::now();
  WindowEntry* raw = owned.get();
  p.unfinished[offset] = std::move(owned);
  ++held_;
  return raw;
}

void CommandWindow::admit(WindowEntry entry, size_t tenant_in_flight) {
  enqueue(hold(std::move(entry)), tenant_in_flight);
}

void CommandWindow::enqueue(WindowEntry* e, size_t tenant_in_flight) {
  std::lock_guard lock(mutex_);
  TenantQueue& q = tenants_[e->tenant];
  q.cap = std::max<size_t>(1, tenant_in_flight);
  ++q.waiting;
  const std::string key = lane_key(*e);
  Lane& lane = lanes_[key];
  lane.entries.push_back(e);
  if (lane.entries.size() == 1) lane_ready(key, lane, false);
}

WindowEntry* CommandWindow::take(const std::atomic<bool>& stop, Heartbeat* beat) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (beat != nullptr) beat->beat();
    if (stop.load()) return nullptr;
    const auto now = SteadyClock::now();
    // Tenants whose park has passed come back.
    while (!park_timers_.empty() && park_timers_.begin()->first <= now) {
      const std::string tenant = park_timers_.begin()->second;
      park_timers_.erase(park_timers_.begin());
      if (auto it = tenants_.find(tenant); it != tenants_.end()) make_runnable(tenant, it->second);
    }
    while (!runnable_.empty()) {
      const std::string tenant = std::move(runnable_.front());
      runnable_.pop_front();
      TenantQueue& q = tenants_[tenant];
      q.queued = false;
      // At its concurrency or parked: finish() or the park timer queues it again.
      if (q.in_flight >= q.cap || parked(q, now)) continue;
      Lane* lane = nullptr;
      while (!q.ready.empty() && lane == nullptr) {
        // Keys of lanes emptied meanwhile (moved, revoked) are stale: skip them.
        auto it = lanes_.find(q.ready.front());
        q.ready.pop_front();
        if (it != lanes_.end() && !it->second.entries.empty() && !it->second.running) lane = &it->second;
      }
      if (lane == nullptr) continue;
      lane->running = true;
      ++q.in_flight;
      --q.waiting;
      ++in_flight_;
      make_runnable(tenant, q);  // round-robin: back of the queue if it has more
      return lane->entries.front();
    }
    // A copy, not std::min's reference into park_timers_: another thread may erase that timer
    // while this one waits (wait_until reads its deadline again after every wake-up).
    SteadyClock::time_point wake = now + std::chrono::milliseconds(200);
    if (!park_timers_.empty() && park_timers_.begin()->first < wake) wake = park_timers_.begin()->first;
    work_.wait_until(lock, wake);
  }
}

void CommandWindow::pop_head(WindowEntry* e) {
  const std::string key = lane_key(*e);
  auto it = lanes_.find(key);
  if (it == lanes_.end()) return;
  Lane& lane = it->second;
  if (!lane.entries.empty() && lane.entries.front() == e) lane.entries.pop_front();
  lane.running = false;
  if (lane.entries.empty()) lanes_.erase(it);
  else lane_ready(key, lane, false);
}

std::unique_ptr<WindowEntry> CommandWindow::remove_unfinished(WindowEntry* e) {
  PartitionState* p = partition_of(*e);
  if (p == nullptr) return nullptr;
  auto it = p->unfinished.find(e->message.offset);
  if (it == p->unfinished.end() || it->second.get() != e) return nullptr;
  auto owned = std::move(it->second);
  p->unfinished.erase(it);
  --held_;
  return owned;
}

void CommandWindow::finish(WindowEntry* e) {
  std::lock_guard lock(mutex_);
  const bool was_running = [&] {
    auto lane = lanes_.find(lane_key(*e));
    return lane != lanes_.end() && lane->second.running && !lane->second.entries.empty() &&
           lane->second.entries.front() == e;
  }();
  if (was_running) {
    TenantQueue& q = tenants_[e->tenant];
    --q.in_flight;
    --in_flight_;
    pop_head(e);
    make_runnable(e->tenant, q);
  }
  auto owned = remove_unfinished(e);  // frees the entry
  settled_.notify_all();
}

void CommandWindow::park(WindowEntry* e, SteadyClock::time_point until, const std::string& reason) {
  std::lock_guard lock(mutex_);
  TenantQueue& q = tenants_[e->tenant];
  --q.in_flight;
  --in_flight_;
  const std::string key = lane_key(*e);
  auto lane = lanes_.find(key);
  PartitionState* p = partition_of(*e);
  if (p == nullptr || p->revoking) {
    // Being revoked: out of its lane, but still unfinished, so no offset is stored past it;
    // the next owner redelivers it.
    if (lane != lanes_.end()) {
      lane->second.running = false;
      auto& entries = lane->second.entries;
      entries.erase(std::remove(entries.begin(), entries.end(), e), entries.end());
      if (entries.empty()) lanes_.erase(lane);
      else lane_ready(key, lane->second, true);
    }
    settled_.notify_all();
    return;
  }
  const auto now = SteadyClock::now();
  const bool was_parked = parked(q, now);
  if (!was_parked) q.parked_at = now;
  const bool extends = until > q.parked_until;
  if (extends) {
    park_timers_.erase({q.parked_until, e->tenant});
    q.parked_until = until;
    park_timers_.insert({until, e->tenant});
  }
  // A limiter's refusal may be the echo of a pause already named (a 429 held for every replica):
  // it never relabels why the tenant waits.
  if (!was_parked || (extends && !connectors::is_budget_refusal(reason)) || reason == kTenantPaused) {
    q.park_reason = reason;
  }
  ++q.waiting;
  if (lane != lanes_.end()) {
    lane->second.running = false;
    lane_ready(key, lane->second, true);  // first again once the tenant may run
  }
  work_.notify_all();
  settled_.notify_all();
}

void CommandWindow::release(WindowEntry* e) {
  std::lock_guard lock(mutex_);
  TenantQueue& q = tenants_[e->tenant];
  --q.in_flight;
  --in_flight_;
  ++q.waiting;
  auto lane = lanes_.find(lane_key(*e));
  if (lane != lanes_.end()) lane->second.running = false;  // not ready again: shutting down
  settled_.notify_all();
}

std::vector<std::pair<TopicPartitionId, int64_t>> CommandWindow::advanced_offsets() {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<TopicPartitionId, int64_t>> out;
  for (auto& [tp, p] : partitions_) {
    const int64_t last_done = low_water(p) - 1;
    if (last_done > p.stored) {
      p.stored = last_done;
      out.emplace_back(tp, last_done);
    }
  }
  return out;
}

bool CommandWindow::drop_from_lane(WindowEntry* e) {
  const std::string key = lane_key(*e);
  auto lane = lanes_.find(key);
  if (lane == lanes_.end()) return false;
  auto& entries = lane->second.entries;
  auto at = std::find(entries.begin(), entries.end(), e);
  if (at == entries.end()) return false;
  entries.erase(at);
  TenantQueue& q = tenants_[e->tenant];
  --q.waiting;
  // An emptied lane's key left in the tenant's ready list is skipped by take(); a lane that
  // lost its head keeps its place there for the new head.
  if (entries.empty()) lanes_.erase(lane);
  return true;
}

CommandWindow::Sweep CommandWindow::sweep(SteadyClock::time_point now, std::chrono::milliseconds divert_after,
                                          bool window_full, int64_t expire_before_ms) {
  std::lock_guard lock(mutex_);
  Sweep out;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::set<std::string> diverting;
  for (auto& [tenant, q] : tenants_) {
    if (tenant.empty() || !parked(q, now) || q.waiting == 0) continue;
    if (q.waiting > limits_.tenant_capacity || now - q.parked_at >= divert_after || window_full) {
      diverting.insert(tenant);
    }
  }
  for (auto& [tp, p] : partitions_) {
    if (p.revoking) continue;
    for (auto& [offset, owned] : p.unfinished) {
      WindowEntry* e = owned.get();
      auto lane = lanes_.find(lane_key(*e));
      if (lane == lanes_.end()) continue;  // held for a move already, or not in a lane
      const bool running = lane->second.running && lane->second.entries.front() == e;
      if (running) continue;
      if (std::find(lane->second.entries.begin(), lane->second.entries.end(), e) == lane->second.entries.end()) {
        continue;
      }
      auto q = tenants_.find(e->tenant);
      const bool tenant_parked = q != tenants_.end() && parked(q->second, now);
      const bool tenant_paused = tenant_parked && q->second.park_reason == kTenantPaused;
      // Waiting behind a parked tenant counts as parked.
      if (tenant_parked && e->parked_since_ms == 0) e->parked_since_ms = now_ms;
      if (e->parked_since_ms > 0 && e->parked_since_ms < expire_before_ms && !tenant_paused) {
        out.expire.push_back(e);
      } else if (!e->from_retry && diverting.count(e->tenant)) {
        // Commands already taken back from the retry topic stay: moving them again could put
        // them behind newer commands of their key.
        out.divert.push_back(e);
      }
    }
  }
  for (WindowEntry* e : out.expire) drop_from_lane(e);
  for (WindowEntry* e : out.divert) drop_from_lane(e);
  return out;
}

void CommandWindow::restore(const std::vector<WindowEntry*>& entries) {
  std::lock_guard lock(mutex_);
  // Back in offset order, each to the front of its lane: reverse so the oldest ends first.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    WindowEntry* e = *it;
    const std::string key = lane_key(*e);
    Lane& lane = lanes_[key];
    const bool was_running = lane.running;
    if (was_running) lane.entries.insert(lane.entries.begin() + 1, e);
    else lane.entries.push_front(e);
    ++tenants_[e->tenant].waiting;
    if (!was_running) lane_ready(key, lane, true);
  }
}

std::vector<std::pair<TopicPartitionId, int64_t>> CommandWindow::revoke(const std::vector<TopicPartitionId>& partitions,
                                                                        std::chrono::milliseconds timeout,
                                                                        Heartbeat* beat) {
  std::unique_lock lock(mutex_);
  auto running_in = [&](const PartitionState& p) {
    for (const auto& [offset, owned] : p.unfinished) {
      auto lane = lanes_.find(lane_key(*owned));
      if (lane != lanes_.end() && lane->second.running && lane->second.entries.front() == owned.get()) return true;
    }
    return false;
  };
  // Forget what waits; the next owner starts at the committed offset.
  for (const auto& tp : partitions) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) continue;
    it->second.revoking = true;
    std::vector<WindowEntry*> waiting;
    for (auto& [offset, owned] : it->second.unfinished) {
      auto lane = lanes_.find(lane_key(*owned));
      const bool running =
          lane != lanes_.end() && lane->second.running && lane->second.entries.front() == owned.get();
      if (!running) waiting.push_back(owned.get());
    }
    for (WindowEntry* e : waiting) drop_from_lane(e);  // held ones (in no lane) just stay out
  }
  // Running commands finish (or park, or stop) first, so the next owner never runs one of them
  // while it is still running here. Their PSA calls are bounded by their timeouts.
  auto settled = [&] {
    for (const auto& tp : partitions) {
      auto it = partitions_.find(tp);
      if (it != partitions_.end() && running_in(it->second)) return false;
    }
    return true;
  };
  const auto started = SteadyClock::now();
  const auto slice = beat != nullptr ? std::min(timeout, beat->interval()) : timeout;
  auto next_log = started + timeout;
  while (!settled_.wait_for(lock, slice, settled)) {
    if (beat != nullptr) beat->beat();
    const auto now = SteadyClock::now();
    if (now < next_log) continue;
    next_log = now + timeout;
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - started);
    log::warn("revoke waits for commands still running", {{"waited_seconds", static_cast<int64_t>(waited.count())}});
  }
  std::vector<std::pair<TopicPartitionId, int64_t>> out;
  for (const auto& tp : partitions) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) continue;
    PartitionState& p = it->second;
    const int64_t last_done = low_water(p) - 1;
    if (last_done > p.stored) out.emplace_back(tp, last_done);
    held_ -= p.unfinished.size();
    partitions_.erase(it);  // nothing of it is in a lane or running any more
  }
  return out;
}

std::optional<SteadyClock::time_point> CommandWindow::parked_until(const std::string& tenant) const {
  std::lock_guard lock(mutex_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end() || !parked(it->second, SteadyClock::now())) return std::nullopt;
  return it->second.parked_until;
}

size_t CommandWindow::waiting(const std::string& tenant) const {
  std::lock_guard lock(mutex_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? 0 : it->second.waiting;
}

size_t CommandWindow::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

size_t CommandWindow::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

std::vector<TenantWindowStats> CommandWindow::stats(SteadyClock::time_point now) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, TenantWindowStats> by_tenant;
  for (const auto& [tenant, q] : tenants_) {
    TenantWindowStats s;
    s.tenant = tenant;
    s.waiting = q.waiting;
    s.in_flight = q.in_flight;
    s.parked = parked(q, now);
    if (s.parked) s.park_reason = q.park_reason;
    by_tenant[tenant] = s;
  }
  for (const auto& [tp, p] : partitions_) {
    for (const auto& [offset, owned] : p.unfinished) {
      auto& s = by_tenant[owned->tenant];
      s.tenant = owned->tenant;
      s.oldest_waiting_seconds =
          std::max(s.oldest_waiting_seconds, std::chrono::duration<double>(now - owned->admitted).count());
    }
  }
  std::vector<TenantWindowStats> out;
  for (auto& [tenant, s] : by_tenant) out.push_back(std::move(s));
  return out;
}

void CommandWindow::wake_all() {
  std::lock_guard lock(mutex_);
  work_.notify_all();
}

}  // namespace switchyard::dispatch
