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
  // Envelopes a later one completes (a partial webhook, whose record ingest fetches whole).
  void count_superseded(const std::string& tenant);

 private:
  prometheus::Counter& consumed_;
  prometheus::Family<prometheus::Counter>& canonical_;
  prometheus::Family<prometheus::Counter>& duplicates_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& superseded_;
};

}  // namespace switchyard::normalize
