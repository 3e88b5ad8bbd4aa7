// ingest's own metrics (the shared Kafka/PSA ones live in common/metrics.h, the poller's in
// poll_metrics.h).
#pragma once

#include <string>

#include "common/metrics.h"

namespace switchyard::ingest {

class IngestMetrics {
 public:
  explicit IngestMetrics(Metrics& metrics);
  // Changes accepted into the raw topics, by tenant, PSA and source (webhook|poll|backfill).
  void count_accepted(const std::string& tenant, const std::string& psa, const std::string& source, size_t n);
  // Requests refused, by route (webhook|command|sync) and reason code (invalid_json, unknown_tenant, ...).
  void count_rejected(const std::string& route, const std::string& reason);
  // Commands accepted into the commands topic, by tenant and type.
  void count_command(const std::string& tenant, const std::string& type);
  // Webhook signing keys fetched from a PSA, by PSA and result (fetched|failed).
  void count_key_fetch(const std::string& psa, const std::string& result);

 private:
  prometheus::Family<prometheus::Counter>& accepted_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Counter>& key_fetches_;
};

}  // namespace switchyard::ingest
