// dispatch's own metrics (PSA call latency/status and Kafka ones live in common/metrics.h).
#pragma once

#include <string>

#include "common/metrics.h"

namespace switchyard::dispatch {

class DispatchMetrics {
 public:
  explicit DispatchMetrics(Metrics& metrics);
  // outcome: "created" | "updated" | "skipped_duplicate" | "dead_lettered"
  void count_command(const std::string& tenant, const std::string& psa, const std::string& type,
                     const std::string& outcome);
  void count_retry(const std::string& tenant, const std::string& psa);
  void add_throttled(const std::string& tenant, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Family<prometheus::Counter>& throttled_;
};

}  // namespace switchyard::dispatch
