// KafkaAuditTrail: the AuditTrail (common/audit.h) every service that takes admin actions holds.
// Each record is one JSON message on the audit topic (topics::kAudit), keyed by tenant, produced
// with the service's idempotent acks=all producer:
//
//   {"id":"<32 hex>","time":"2026-12-01T20:00:00.123Z","service":"ingest","replica":"<host>",
//    "actor":"token:ops","action":"sync","tenant":"acme","outcome":"ok","details":{...}}
//
// `id` is random per record, so a consumer can tell a record produced twice (a retry after a
// lost acknowledgement) from two actions. A record that cannot be written is logged (action,
// tenant and Kafka's error, never the details) and counted.
// Metrics: switchyard_audit_records_total{action,outcome} (written) and
// switchyard_audit_write_errors_total{action}.
#pragma once

#include <string>
#include <string_view>

#include "common/audit.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"

namespace switchyard {

// The record's JSON as written to the topic (tests and the unit test of its shape).
std::string audit_record_json(const AuditRecord& record, std::string_view id, std::string_view time,
                              std::string_view service, std::string_view replica);

// This process's replica name: the host name (a pod's name in Kubernetes), "unknown" without one.
std::string replica_name();

class KafkaAuditTrail final : public AuditTrail {
 public:
  // `producer` and `metrics` must outlive the trail; delivery reports that arrive after it is
  // gone touch neither it nor anything but the Metrics registry.
  KafkaAuditTrail(KafkaProducer& producer, std::string topic, std::string service, Metrics& metrics);

  void record(AuditRecord record) override;
  void record_then(AuditRecord record, std::function<void(bool written)> written) override;

 private:
  KafkaProducer& producer_;
  std::string topic_;
  std::string service_;
  std::string replica_;
  prometheus::Family<prometheus::Counter>* records_;
  prometheus::Family<prometheus::Counter>* errors_;
};

}  // namespace switchyard
