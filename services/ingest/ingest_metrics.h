// ingest's own metrics (the shared Kafka/PSA ones live in common/metrics.h, the poller's in
// poll_metrics.h).
#pragma once

#include <string>

#include "common/metrics.h"
#include "common/series_cache.h"

namespace switchyard::ingest {

class IngestMetrics {
 public:
  explicit IngestMetrics(Metrics& metrics);
  // Changes accepted into the raw topics, by tenant, PSA and source (webhook|poll|backfill|resync).
  void count_accepted(const std::string& tenant, const std::string& psa, const std::string& source, size_t n);
  // Requests refused, by route (webhook|command|sync) and reason code (invalid_json, unknown_tenant, ...).
  void count_rejected(const std::string& route, const std::string& reason);
  // Commands accepted into the commands topic, by tenant and type.
  void count_command(const std::string& tenant, const std::string& type);
  // Webhook signing keys fetched from a PSA, by PSA and result (fetched|failed).
  void count_key_fetch(const std::string& psa, const std::string& result);
  // Webhooks about the subscription itself (a PSA switched its webhook off), by tenant, PSA and kind.
  void count_webhook_signal(const std::string& tenant, const std::string& psa, const std::string& kind);
  // Fetch jobs (a partial webhook's record read whole), by tenant and outcome: scheduled (with
  // the webhook), done (the record is on the raw topic), deferred (due later: throttled tenant,
  // or a failure to retry), failed (never done; see count_fetch_failed).
  void count_fetch_job(const std::string& tenant, const std::string& outcome, size_t n = 1);
  // Failed fetch jobs by reason (record_not_found, gave_up, not_supported, unknown_tenant, invalid_fetch_job).
  void count_fetch_failed(const std::string& tenant, const std::string& reason);
  // Offboarding requests, by outcome (ok, refused, failed): no tenant label, so an offboarded
  // tenant leaves no series behind.
  void count_offboard(const std::string& outcome);
  // Redis keys (and sorted-set members) offboarding removed, by key family (common/tenant_keys.h).
  void count_offboard_removed(const std::string& family, int64_t n);

 private:
  // Counted per webhook: kept per label set (common/series_cache.h).
  SeriesCache<prometheus::Counter> accepted_;
  SeriesCache<prometheus::Counter> rejected_;
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Counter>& key_fetches_;
  prometheus::Family<prometheus::Counter>& webhook_signals_;
  prometheus::Family<prometheus::Counter>& fetch_jobs_;
  prometheus::Family<prometheus::Counter>& fetch_failed_;
  prometheus::Family<prometheus::Counter>& offboards_;
  prometheus::Family<prometheus::Counter>& offboard_removed_;
};

}  // namespace switchyard::ingest
