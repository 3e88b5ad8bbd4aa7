// normalize's own metrics (the shared Kafka ones live in common/metrics.h).
#pragma once

#include <string>

#include "common/metrics.h"
#include "common/series_cache.h"

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
  // Picklist ids published as their own name because the tenant's labels were not known.
  void count_label_misses(const std::string& tenant, size_t n);
  // Changes a tenant's sync policies held back: "out_of_scope", "unchanged" or "echo".
  void count_suppressed(const std::string& tenant, const std::string& reason);
  // Records the policies added: scope_change, company_summary, a company on its first agreement.
  void count_policy_record(const std::string& tenant, const std::string& type);

 private:
  prometheus::Counter& consumed_;
  SeriesCache<prometheus::Counter> canonical_;
  SeriesCache<prometheus::Counter> duplicates_;
  SeriesCache<prometheus::Counter> failed_;
  SeriesCache<prometheus::Counter> superseded_;
  SeriesCache<prometheus::Counter> label_misses_;
  SeriesCache<prometheus::Counter> suppressed_;
  SeriesCache<prometheus::Counter> policy_records_;
};

}  // namespace switchyard::normalize
