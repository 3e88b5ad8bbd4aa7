#include "common/metrics.h"

#include <prometheus/text_serializer.h>

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
                        .Help("Messages written to a dead-letter topic, by topic and reason")
                        .Register(*registry_)) {}

std::string Metrics::serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::observe_produce(const std::string& topic, bool ok, double seconds) {
  produce_seconds_.Add({{"topic", topic}}, latency_buckets()).Observe(seconds);
  produced_.Add({{"topic", topic}, {"outcome", ok ? "ok" : "error"}}).Increment();
}

void Metrics::update_lag(const std::map<std::pair<std::string, int32_t>, int64_t>& lag) {
  for (const auto& [where, value] : lag) {
    lag_.Add({{"topic", where.first}, {"partition", std::to_string(where.second)}}).Set(static_cast<double>(value));
  }
}

void Metrics::observe_psa_call(const std::string& psa, const std::string& method, const std::string& status,
                               double seconds) {
  psa_seconds_.Add({{"psa", psa}, {"method", method}}, latency_buckets()).Observe(seconds);
  psa_requests_.Add({{"psa", psa}, {"method", method}, {"status", status}}).Increment();
}

void Metrics::count_dead_letter(const std::string& topic, const std::string& reason) {
  dead_letters_.Add({{"topic", topic}, {"reason", reason}}).Increment();
}

}  // namespace switchyard
