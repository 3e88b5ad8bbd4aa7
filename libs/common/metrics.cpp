#include "common/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <charconv>

namespace switchyard {

const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                   0.1,    0.25,  0.5,    1,     2.5,  5,    10};
  return kBuckets;
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      produce_seconds_(prometheus::BuildHistogram()
                           .Name("switchyard_kafka_produce_duration_seconds")
                           .Help("Time from produce to Kafka's delivery report (acks=all)")
                           .Register(*registry_)),
      produced_(prometheus::BuildCounter()
                    .Name("switchyard_kafka_messages_produced_total")
                    .Help("Messages produced, by topic and outcome (ok|error)")
                    .Register(*registry_)),
      lag_(prometheus::BuildGauge()
               .Name("switchyard_kafka_consumer_lag_messages")
               .Help("High watermark minus consumer position, per assigned partition")
               .Register(*registry_)),
      psa_seconds_(prometheus::BuildHistogram()
                       .Name("switchyard_psa_request_duration_seconds")
                       .Help("PSA API call latency by PSA and method")
                       .Register(*registry_)),
      psa_requests_(prometheus::BuildCounter()
                        .Name("switchyard_psa_requests_total")
                        .Help("PSA API calls by PSA, method and HTTP status (error = no answer)")
                        .Register(*registry_)),
      dead_letters_(prometheus::BuildCounter()
                        .Name("switchyard_dead_letters_total")
                        .Help("Messages written to a dead-letter topic, by topic, tenant and reason")
                        .Register(*registry_)),
      http_requests_(prometheus::BuildCounter()
                         .Name("switchyard_http_requests_total")
                         .Help("HTTP requests served, by route and status")
                         .Register(*registry_)),
      http_seconds_(prometheus::BuildHistogram()
                        .Name("switchyard_http_request_duration_seconds")
                        .Help("HTTP request latency (for webhooks: until Kafka acknowledged), by route")
                        .Register(*registry_)),
      batch_failures_(prometheus::BuildCounter()
                          .Name("switchyard_consumer_batch_failures_total")
                          .Help("Consumed batches that failed with an error; their messages were rewound")
                          .Register(*registry_)),
      redis_errors_(prometheus::BuildCounter()
                        .Name("switchyard_redis_errors_total")
                        .Help("Failed Redis commands, by operation")
                        .Register(*registry_)),
      heartbeat_age_(prometheus::BuildGauge()
                         .Name("switchyard_heartbeat_age_seconds")
                         .Help("Seconds since the least recent heartbeat of a worker loop, by loop (/healthz fails past the timeout)")
                         .Register(*registry_)),
      heartbeat_timeout_(prometheus::BuildGauge()
                             .Name("switchyard_heartbeat_timeout_seconds")
                             .Help("The liveness timeout: a loop whose heartbeat is older is stuck and /healthz answers 503")
                             .Register(*registry_)),
      produce_seconds_by_topic_(produce_seconds_, {"topic"}, latency_buckets()),
      produced_by_outcome_(produced_, {"topic", "outcome"}),
      http_requests_by_status_(http_requests_, {"route", "status"}),
      http_seconds_by_route_(http_seconds_, {"route"}, latency_buckets()) {}

void Metrics::count_batch_failure() { batch_failures_.Add({}).Increment(); }

void Metrics::count_redis_error(const std::string& operation) {
  redis_errors_.Add({{"operation", operation}}).Increment();
}

void Metrics::update_heartbeats(const std::vector<Heartbeats::Loop>& loops, std::chrono::milliseconds timeout) {
  std::map<std::string, double> oldest;
  for (const auto& l : loops) oldest[l.group] = std::max(oldest[l.group], l.age_seconds);
  std::lock_guard lock(heartbeat_mutex_);
  for (auto it = heartbeat_series_.begin(); it != heartbeat_series_.end();) {
    if (oldest.contains(it->first)) {
      ++it;
    } else {
      heartbeat_age_.Remove(it->second);
      it = heartbeat_series_.erase(it);
    }
  }
  for (const auto& [group, age] : oldest) {
    auto& gauge = heartbeat_series_[group];
    if (gauge == nullptr) gauge = &heartbeat_age_.Add({{"loop", group}});
    gauge->Set(age);
  }
  heartbeat_timeout_.Add({}).Set(std::chrono::duration<double>(timeout).count());
}

std::string Metrics::serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::observe_produce(const std::string& topic, bool ok, double seconds) {
  produce_seconds_by_topic_.get({topic}).Observe(seconds);
  produced_by_outcome_.get({topic, ok ? "ok" : "error"}).Increment();
}

void Metrics::update_lag(const std::map<std::pair<std::string, int32_t>, int64_t>& lag) {
  for (auto it = lag_series_.begin(); it != lag_series_.end();) {
    if (lag.contains(it->first)) {
      ++it;
    } else {
      lag_.Remove(it->second);
      it = lag_series_.erase(it);
    }
  }
  for (const auto& [where, value] : lag) {
    auto& gauge = lag_series_[where];
    if (gauge == nullptr) gauge = &lag_.Add({{"topic", where.first}, {"partition", std::to_string(where.second)}});
    gauge->Set(static_cast<double>(value));
  }
}

void Metrics::observe_psa_call(const std::string& psa, const std::string& method, const std::string& status,
                               double seconds) {
  psa_seconds_.Add({{"psa", psa}, {"method", method}}, latency_buckets()).Observe(seconds);
  psa_requests_.Add({{"psa", psa}, {"method", method}, {"status", status}}).Increment();
}

void Metrics::count_dead_letter(const std::string& topic, const std::string& tenant, const std::string& reason) {
  dead_letters_.Add({{"topic", topic}, {"tenant", tenant.empty() ? "unknown" : tenant}, {"reason", reason}})
      .Increment();
}

void Metrics::observe_http(const std::string& route, int status, double seconds) {
  char digits[12];
  const auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
  http_requests_by_status_.get({route, std::string_view(digits, static_cast<size_t>(end - digits))}).Increment();
  http_seconds_by_route_.get({route}).Observe(seconds);
}

}  // namespace switchyard
