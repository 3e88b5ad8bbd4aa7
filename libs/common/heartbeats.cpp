#include "common/heartbeats.h"

#include <algorithm>
#include <cmath>

#include "common/json_writer.h"

namespace switchyard {

struct Heartbeat::Slot {
  std::string name, group;
  std::chrono::milliseconds interval{1000};
  std::atomic<int64_t> last_ns{0};  // steady clock, since its epoch
  std::atomic<bool> retired{false};
};

namespace {

int64_t steady_ns(Heartbeats::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

Heartbeat& Heartbeat::operator=(Heartbeat&& other) noexcept {
  if (this != &other) {
    retire();
    slot_ = std::move(other.slot_);
  }
  return *this;
}

Heartbeat::~Heartbeat() { retire(); }

void Heartbeat::retire() {
  if (slot_) slot_->retired.store(true, std::memory_order_relaxed);
  slot_.reset();
}

void Heartbeat::beat() {
  if (slot_) slot_->last_ns.store(steady_ns(Heartbeats::Clock::now()), std::memory_order_relaxed);
}

std::chrono::milliseconds Heartbeat::interval() const {
  return slot_ ? slot_->interval : std::chrono::milliseconds(1000);
}

Heartbeats::Heartbeats(std::chrono::milliseconds timeout)
    : timeout_(std::max(timeout, std::chrono::milliseconds(1))),
      interval_(std::clamp(timeout_ / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(1000))) {}

Heartbeat Heartbeats::add(std::string group, std::string name) {
  auto slot = std::make_shared<Heartbeat::Slot>();
  slot->name = name.empty() ? group : std::move(name);
  slot->group = std::move(group);
  slot->interval = interval_;
  slot->last_ns.store(steady_ns(Clock::now()));
  {
    std::lock_guard lock(mutex_);
    slots_.push_back(slot);
  }
  return Heartbeat(std::move(slot));
}

std::vector<Heartbeats::Loop> Heartbeats::loops(Clock::time_point now) const {
  std::vector<Loop> out;
  const int64_t now_ns = steady_ns(now);
  const double timeout_s = std::chrono::duration<double>(timeout_).count();
  std::lock_guard lock(mutex_);
  std::erase_if(slots_, [](const auto& s) { return s->retired.load(std::memory_order_relaxed); });
  out.reserve(slots_.size());
  for (const auto& s : slots_) {
    // A beat after `now` (a racing loop) is age 0, not negative.
    const double age = std::max<double>(0, static_cast<double>(now_ns - s->last_ns.load(std::memory_order_relaxed)) / 1e9);
    out.push_back(Loop{s->name, s->group, age, age > timeout_s});
  }
  return out;
}

Heartbeats::Report Heartbeats::check(Clock::time_point now) const {
  Report r;
  std::vector<Loop> all = loops(now);
  r.loops = all.size();
  for (Loop& l : all) {
    if (l.stale) r.stale.push_back(std::move(l));
  }
  std::sort(r.stale.begin(), r.stale.end(), [](const Loop& a, const Loop& b) { return a.age_seconds > b.age_seconds; });
  r.healthy = r.stale.empty();
  return r;
}

std::string heartbeat_report_json(const Heartbeats::Report& report, std::chrono::milliseconds timeout) {
  JsonWriter w;
  w.begin_object();
  if (report.healthy) {
    w.field("status", "ok").field("loops", static_cast<int64_t>(report.loops));
    w.end_object();
    return w.take();
  }
  constexpr size_t kListed = 20;
  w.field("status", "stale")
      .field("timeout_seconds", std::chrono::duration<double>(timeout).count())
      .field("loops", static_cast<int64_t>(report.loops))
      .field("stale_loops", static_cast<int64_t>(report.stale.size()));
  w.key("stale").begin_array();
  for (size_t i = 0; i < report.stale.size() && i < kListed; ++i) {
    const auto& l = report.stale[i];
    w.begin_object()
        .field("loop", l.name)
        .field("age_seconds", std::round(l.age_seconds * 10) / 10)
        .end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace switchyard
