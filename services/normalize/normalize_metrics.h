// normalize's own metrics (the shared Kafka ones live in common/metrics.h).
#pragma once

#include <string>

#include "common/metrics.h"

namespace switchyard::normalize {

class NormalizeMetrics {
 public:
  explicit NormalizeMetrics(Metrics& metrics);
  void count_consumed(size_t n);
  void count_canonical(const std::string& tenant, const std::string& type);
  void count_duplicate(const std::string& tenant);
  void count_failed(const std::string& reason);

 private:
  prometheus::Counter& consumed_;
  prometheus::Family<prometheus::Counter>& canonical_;
  prometheus::Family<prometheus::Counter>& duplicates_;
  prometheus::Family<prometheus::Counter>& failed_;
};

}  // namespace switchyard::normalize
