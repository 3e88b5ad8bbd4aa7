// dispatch's own metrics (PSA call latency/status and Kafka ones live in common/metrics.h).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "common/tenants.h"
#include "dispatch/command_window.h"

namespace switchyard::dispatch {

class DispatchMetrics {
 public:
  explicit DispatchMetrics(Metrics& metrics);
  // outcome: "created" | "updated" | "skipped_duplicate" | "dead_lettered"
  void count_command(const std::string& tenant, const std::string& psa, const std::string& type,
                     const std::string& outcome);
  void count_retry(const std::string& tenant, const std::string& psa);
  void add_throttled(const std::string& tenant, double seconds);
  void count_moved_to_retry(const std::string& tenant);
  // A command found its tenant throttled or failing and was parked (reason as in the results).
  void count_parked(const std::string& tenant, const std::string& reason);
  void set_paused(bool paused);
  // The window's state: in-flight and held commands, parked tenants, and per configured tenant
  // the age of its oldest waiting command and why it is parked (series of tenants no longer
  // waiting or parked are removed, so the panels show only who is stuck now).
  void update_window(const std::vector<TenantWindowStats>& stats, size_t held, size_t in_flight,
                     const TenantDirectory& tenants);

 private:
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Family<prometheus::Counter>& throttled_;
  prometheus::Family<prometheus::Counter>& moved_;
  prometheus::Family<prometheus::Counter>& parks_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& held_;
  prometheus::Gauge& paused_;
  prometheus::Gauge& parked_tenants_;
  prometheus::Family<prometheus::Gauge>& tenant_parked_;
  prometheus::Family<prometheus::Gauge>& oldest_waiting_;
  std::mutex mutex_;  // the per-tenant series below
  std::map<std::string, prometheus::Gauge*> parked_series_;  // tenant → its parked{reason} series
  std::map<std::string, std::string> parked_reason_;
  std::map<std::string, prometheus::Gauge*> oldest_series_;
};

}  // namespace switchyard::dispatch
