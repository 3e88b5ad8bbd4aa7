#include "dispatch/dispatch_metrics.h"

namespace switchyard::dispatch {
DispatchMetrics::DispatchMetrics(Metrics& m)
    : commands_(prometheus::BuildCounter()
                    .Name("switchyard_dispatch_commands_total")
                    .Help("Commands finished, by tenant, PSA, type and outcome")
                    .Register(m.registry())),
      retries_(prometheus::BuildCounter()
                   .Name("switchyard_dispatch_retries_total")
                   .Help("PSA writes retried after a retryable failure")
                   .Register(m.registry())),
      throttled_(prometheus::BuildCounter()
                     .Name("switchyard_dispatch_throttled_seconds_total")
                     .Help("Time workers spent waiting inline for the tenant's shared rate limit")
                     .Register(m.registry())),
      moved_(prometheus::BuildCounter()
                 .Name("switchyard_dispatch_moved_to_retry_total")
                 .Help("Commands of a parked tenant moved to the retry topic")
                 .Register(m.registry())),
      parks_(prometheus::BuildCounter()
                 .Name("switchyard_dispatch_parks_total")
                 .Help("Commands parked because their tenant was throttled or its PSA failing, by reason")
                 .Register(m.registry())),
      in_flight_(prometheus::BuildGauge().Name("switchyard_dispatch_in_flight_commands").Help("Commands running against a PSA now").Register(m.registry()).Add({})),
      held_(prometheus::BuildGauge().Name("switchyard_dispatch_window_commands").Help("Commands held in memory (running and waiting)").Register(m.registry()).Add({})),
      paused_(prometheus::BuildGauge().Name("switchyard_dispatch_partitions_paused").Help("1 while intake is paused because the window is full").Register(m.registry()).Add({})),
      parked_tenants_(prometheus::BuildGauge().Name("switchyard_dispatch_parked_tenants").Help("Tenants parked now (throttled or failing PSA)").Register(m.registry()).Add({})),
      tenant_parked_(prometheus::BuildGauge()
                         .Name("switchyard_dispatch_tenant_parked")
                         .Help("1 while the tenant is parked, with the reason")
                         .Register(m.registry())),
      oldest_waiting_(prometheus::BuildGauge()
                          .Name("switchyard_dispatch_oldest_waiting_seconds")
                          .Help("Age of the tenant's oldest command held by this process")
                          .Register(m.registry())) {}

void DispatchMetrics::count_command(const std::string& tenant, const std::string& psa, const std::string& type,
                                    const std::string& outcome) {
  commands_.Add({{"tenant", tenant}, {"psa", psa}, {"type", type}, {"outcome", outcome}}).Increment();
}

void DispatchMetrics::count_retry(const std::string& tenant, const std::string& psa) {
  retries_.Add({{"tenant", tenant}, {"psa", psa}}).Increment();
}

void DispatchMetrics::add_throttled(const std::string& tenant, double seconds) {
  throttled_.Add({{"tenant", tenant}}).Increment(seconds);
}

void DispatchMetrics::count_moved_to_retry(const std::string& tenant) { moved_.Add({{"tenant", tenant}}).Increment(); }

void DispatchMetrics::count_parked(const std::string& tenant, const std::string& reason) {
  parks_.Add({{"tenant", tenant}, {"reason", reason}}).Increment();
}

void DispatchMetrics::set_paused(bool paused) { paused_.Set(paused ? 1 : 0); }

void DispatchMetrics::update_window(const std::vector<TenantWindowStats>& stats, size_t held, size_t in_flight,
                                    const TenantDirectory& tenants) {
  std::lock_guard lock(mutex_);
  held_.Set(static_cast<double>(held));
  in_flight_.Set(static_cast<double>(in_flight));
  std::map<std::string, std::string> parked;  // tenant → reason
  std::map<std::string, double> oldest;
  for (const auto& s : stats) {
    if (tenants.find(s.tenant) == nullptr) continue;  // labels only for configured tenants
    if (s.parked) parked[s.tenant] = s.park_reason.empty() ? "unknown" : s.park_reason;
    if (s.waiting + s.in_flight > 0) oldest[s.tenant] = s.oldest_waiting_seconds;
  }
  parked_tenants_.Set(static_cast<double>(parked.size()));
  for (auto it = parked_series_.begin(); it != parked_series_.end();) {
    auto now = parked.find(it->first);
    if (now == parked.end() || now->second != parked_reason_[it->first]) {
      tenant_parked_.Remove(it->second);
      parked_reason_.erase(it->first);
      it = parked_series_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [tenant, reason] : parked) {
    if (parked_series_.count(tenant)) continue;
    auto& g = tenant_parked_.Add({{"tenant", tenant}, {"reason", reason}});
    g.Set(1);
    parked_series_[tenant] = &g;
    parked_reason_[tenant] = reason;
  }
  for (auto it = oldest_series_.begin(); it != oldest_series_.end();) {
    if (!oldest.count(it->first)) {
      oldest_waiting_.Remove(it->second);
      it = oldest_series_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [tenant, age] : oldest) {
    auto [it, inserted] = oldest_series_.try_emplace(tenant, nullptr);
    if (inserted) it->second = &oldest_waiting_.Add({{"tenant", tenant}});
    it->second->Set(age);
  }
}

}  // namespace switchyard::dispatch
