// Prometheus metrics shared by every service (prometheus-cpp core; served on /metrics by the
// service's own HTTP server). Names follow Prometheus conventions: switchyard_ prefix, base
// units, _total for counters; labels are bounded (tenant and PSA yes, record ids never).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "common/heartbeats.h"
#include "common/kafka_consumer.h"
#include "common/series_cache.h"

namespace switchyard {

class Metrics {
 public:
  Metrics();
  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> registry_ptr() { return registry_; }
  // Text exposition format 0.0.4.
  std::string serialize() const;

  // Kafka produce latency (produce call → delivery report), by topic and outcome.
  void observe_produce(const std::string& topic, bool ok, double seconds);
  // Consumer lag per partition, refreshed from the consumer's cached watermarks. Partitions no
  // longer assigned (after a rebalance) are removed, so sums over pods do not double-count.
  void update_lag(const std::map<std::pair<std::string, int32_t>, int64_t>& lag);
  // One PSA HTTP call: latency by PSA and method, count by PSA, method and status ("error" when no answer).
  void observe_psa_call(const std::string& psa, const std::string& method, const std::string& status, double seconds);
  // A message written to a dead-letter topic, by topic, tenant ("unknown" when the message
  // named none we know) and reason code.
  void count_dead_letter(const std::string& topic, const std::string& tenant, const std::string& reason);
  // One HTTP request served, by route pattern (never the raw path) and status.
  void observe_http(const std::string& route, int status, double seconds);
  // A consumed batch that threw; its unfinished messages were rewound and come again.
  void count_batch_failure();
  // A Redis command that failed, by what it was for (a fixed word, never a key).
  void count_redis_error(const std::string& operation);
  // Heartbeat ages of the watched loops: per loop group (a fixed word, never a tenant) the
  // oldest one's, and the liveness timeout they are held to. Groups no longer watched are removed.
  void update_heartbeats(const std::vector<Heartbeats::Loop>& loops, std::chrono::milliseconds timeout);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Histogram>& produce_seconds_;
  prometheus::Family<prometheus::Counter>& produced_;
  prometheus::Family<prometheus::Gauge>& lag_;
  prometheus::Family<prometheus::Histogram>& psa_seconds_;
  prometheus::Family<prometheus::Counter>& psa_requests_;
  prometheus::Family<prometheus::Counter>& dead_letters_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_seconds_;
  prometheus::Family<prometheus::Counter>& batch_failures_;
  prometheus::Family<prometheus::Counter>& redis_errors_;
  prometheus::Family<prometheus::Gauge>& heartbeat_age_;
  prometheus::Family<prometheus::Gauge>& heartbeat_timeout_;
  // The per-message and per-request series, kept per label set (common/series_cache.h).
  SeriesCache<prometheus::Histogram> produce_seconds_by_topic_;
  SeriesCache<prometheus::Counter> produced_by_outcome_;
  SeriesCache<prometheus::Counter> http_requests_by_status_;
  SeriesCache<prometheus::Histogram> http_seconds_by_route_;
  std::map<std::pair<std::string, int32_t>, prometheus::Gauge*> lag_series_;  // consumer thread only
  std::mutex heartbeat_mutex_;  // /metrics requests may come on several io threads
  std::map<std::string, prometheus::Gauge*> heartbeat_series_;
};

// Latency buckets from 0.5 ms to 10 s: Kafka acks and PSA calls both fall in this range.
const prometheus::Histogram::BucketBoundaries& latency_buckets();

}  // namespace switchyard
