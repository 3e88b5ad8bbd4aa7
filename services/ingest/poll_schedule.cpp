#include "ingest/poll_schedule.h"

namespace switchyard::ingest {

PollSchedule::PollSchedule(size_t backfill_slots) : backfill_slots_(backfill_slots) {}

std::pair<size_t, bool> PollSchedule::add(const Item& item, Clock::time_point due) {
  std::pair<size_t, bool> out;
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_of_.find(item); it != index_of_.end()) {
      out = {it->second, false};
      State& s = states_[it->second];
      if (!s.retired) return out;
      s = State{due, s.in_flight};  // back, as if new; one still in flight is queued when it finishes
      if (!s.in_flight) enqueue(it->second);
      out.second = true;
    } else {
      out = {items_.size(), true};
      items_.push_back(item);
      states_.push_back(State{due});
      index_of_.emplace(item, out.first);
      by_tenant_[item.tenant].push_back(out.first);
      enqueue(out.first);
    }
  }
  changed_.notify_all();
  return out;
}

size_t PollSchedule::retain(const std::set<Item>& wanted) {
  std::lock_guard lock(mutex_);
  size_t retired = 0;
  for (size_t index = 0; index < items_.size(); ++index) {
    State& s = states_[index];
    if (s.retired || wanted.contains(items_[index])) continue;
    if (!s.in_flight && !s.finished) dequeue(index);
    s.retired = true;
    ++retired;
  }
  return retired;
}

PollSchedule::Item PollSchedule::item(size_t index) const {
  std::lock_guard lock(mutex_);
  return items_[index];
}

size_t PollSchedule::size() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const State& s : states_) n += s.retired ? 0 : 1;
  return n;
}

PollSchedule::Clock::time_point PollSchedule::eligible_at(size_t index) const {
  const auto it = throttled_until_.find(items_[index].tenant);
  return it == throttled_until_.end() ? states_[index].due : std::max(states_[index].due, it->second);
}

void PollSchedule::enqueue(size_t index) { queue_of(index).emplace(eligible_at(index), index); }

void PollSchedule::dequeue(size_t index) { queue_of(index).erase({eligible_at(index), index}); }

std::optional<size_t> PollSchedule::first_ready(Queue& queue, Clock::time_point now, Clock::time_point& next) {
  if (queue.empty()) return std::nullopt;
  const auto& [at, index] = *queue.begin();
  if (at <= now) return index;
  next = std::min(next, at);
  return std::nullopt;
}

std::optional<size_t> PollSchedule::take(Heartbeat* beat) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (beat != nullptr) beat->beat();
    if (stopping_) return std::nullopt;
    const auto now = Clock::now();
    auto next = now + std::chrono::hours(1);
    std::optional<size_t> index = first_ready(queues_[0], now, next);
    if (!index && in_flight_[1] < backfill_slots_) index = first_ready(queues_[1], now, next);
    if (index) {
      dequeue(*index);
      states_[*index].in_flight = true;
      ++in_flight_[static_cast<int>(items_[*index].kind)];
      return index;
    }
    if (beat != nullptr) next = std::min(next, Clock::now() + beat->interval());
    changed_.wait_until(lock, next);
  }
}

void PollSchedule::finish(size_t index, Clock::time_point due, bool finished) {
  {
    std::lock_guard lock(mutex_);
    State& s = states_[index];
    if (!s.in_flight) return;
    s.in_flight = false;
    --in_flight_[static_cast<int>(items_[index].kind)];
    s.due = s.again ? std::min(due, Clock::now()) : due;
    s.again = false;
    s.finished = finished;
    if (!finished && !s.retired) enqueue(index);
  }
  changed_.notify_all();
}

void PollSchedule::due_now(const std::string& tenant, const std::string& entity, PollKind kind) {
  {
    std::lock_guard lock(mutex_);
    const auto it = by_tenant_.find(tenant);
    if (it == by_tenant_.end()) return;
    for (size_t index : it->second) {
      if (items_[index].entity != entity || items_[index].kind != kind) continue;
      State& s = states_[index];
      if (s.finished || s.retired) continue;
      if (s.in_flight) {
        s.again = true;
        continue;
      }
      dequeue(index);
      s.due = std::min(s.due, Clock::now());
      enqueue(index);
    }
  }
  changed_.notify_all();
}

void PollSchedule::throttle_tenant(const std::string& tenant, Clock::time_point until) {
  std::lock_guard lock(mutex_);
  const auto items = by_tenant_.find(tenant);
  if (items == by_tenant_.end()) return;
  auto& current = throttled_until_[tenant];
  if (current >= until) return;
  // Re-keyed under the new throttle; items in flight are keyed when they finish.
  std::vector<size_t> queued;
  for (size_t index : items->second) {
    if (!states_[index].in_flight && !states_[index].finished && !states_[index].retired) {
      dequeue(index);
      queued.push_back(index);
    }
  }
  current = until;
  for (size_t index : queued) enqueue(index);
  // Only later than before: no waiting worker needs waking.
}

void PollSchedule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

PollSchedule::Stats PollSchedule::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  const auto now = Clock::now();
  for (int kind = 0; kind < 2; ++kind) {
    stats.in_flight[kind] = in_flight_[kind];
    for (const auto& [at, index] : queues_[kind]) {
      if (at > now) break;
      if (stats.due[kind] == 0) stats.oldest_due_seconds[kind] = std::chrono::duration<double>(now - at).count();
      ++stats.due[kind];
    }
  }
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].kind == PollKind::Backfill && !states_[i].finished && !states_[i].retired) ++stats.unfinished_backfills;
  }
  return stats;
}

}  // namespace switchyard::ingest
