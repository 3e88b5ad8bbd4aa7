#include "common/kafka_audit_trail.h"

#include <unistd.h>

#include <array>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/time_format.h"

namespace switchyard {

std::string audit_record_json(const AuditRecord& record, std::string_view id, std::string_view time,
                              std::string_view service, std::string_view replica) {
  JsonWriter w;
  w.begin_object()
      .field("id", id)
      .field("time", time)
      .field("service", service)
      .field("replica", replica)
      .field("actor", record.actor)
      .field("action", record.action)
      .field("tenant", record.tenant)
      .field("outcome", record.outcome)
      .key("details")
      .raw(record.details_json.empty() ? std::string_view("{}") : std::string_view(record.details_json))
      .end_object();
  return w.take();
}

std::string replica_name() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') return "unknown";
  return std::string(host.data());
}

KafkaAuditTrail::KafkaAuditTrail(KafkaProducer& producer, std::string topic, std::string service, Metrics& metrics)
    : producer_(producer),
      topic_(std::move(topic)),
      service_(std::move(service)),
      replica_(replica_name()),
      records_(&prometheus::BuildCounter()
                    .Name("switchyard_audit_records_total")
                    .Help("Audit records written to the audit topic, by action and outcome (ok, refused, failed)")
                    .Register(metrics.registry())),
      errors_(&prometheus::BuildCounter()
                   .Name("switchyard_audit_write_errors_total")
                   .Help("Audit records Kafka did not acknowledge, by action (alert: SwitchyardAuditWriteFailing)")
                   .Register(metrics.registry())) {}

void KafkaAuditTrail::record(AuditRecord record) {
  record_then(std::move(record), [](bool) {});
}

void KafkaAuditTrail::record_then(AuditRecord record, std::function<void(bool written)> written) {
  const std::string json =
      audit_record_json(record, crypto::random_hex(16), now_rfc3339(), service_, replica_);
  // The tenant as key: one tenant's records stay in order. Records of no tenant share "-".
  const std::string key = record.tenant.empty() ? std::string("-") : record.tenant;
  // Only the Metrics registry's families are captured: they outlive the producer's last report.
  producer_.produce(topic_, key, json, {},
                    [records = records_, errors = errors_, action = record.action, outcome = record.outcome,
                     tenant = record.tenant, written = std::move(written)](const DeliveryResult& result) {
                      if (result.ok) {
                        records->Add({{"action", action}, {"outcome", outcome}}).Increment();
                      } else {
                        errors->Add({{"action", action}}).Increment();
                        log::error("audit record not written: kafka did not acknowledge",
                                   {{"action", action}, {"tenant", tenant}, {"error", result.error}});
                      }
                      written(result.ok);
                    });
}

}  // namespace switchyard
