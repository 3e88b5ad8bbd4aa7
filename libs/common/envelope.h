// Envelope v1: how ingest wraps one PSA change before producing it to the raw topic. The raw
// body is kept byte for byte (as a JSON string) so a signature can be re-checked and a mapping
// bug replayed. Kafka key: tenant/entity/id, so every copy of one record's changes (webhook or
// poll) lands on one partition, in order, in front of one normalize consumer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_producer.h"
#include "common/result.h"

namespace switchyard {

inline constexpr int kEnvelopeVersion = 1;

struct Envelope {
  int version = kEnvelopeVersion;
  std::string tenant;
  std::string psa;              // connector name
  std::string entity;           // canonical type: "ticket", "company", ...
  std::string entity_id;        // the PSA's id
  std::string action;           // "created" | "updated" | "deleted"
  // "webhook" | "poll" | "backfill" (a tenant's first full import) | "fetch" (a record read by id
  // to complete a partial webhook) | "resync" (a full re-read asked for by an operator; its
  // idempotency key carries the resync id)
  std::string source;
  std::string received_at;      // RFC 3339 UTC
  std::string idempotency_key;  // see idempotency.h
  std::string body;             // raw JSON as received (webhook body, or the polled record)
  // Follows the change through every service (common/trace.h); empty in envelopes written
  // before trace ids existed, or by another producer.
  std::string trace_id;
  bool operator==(const Envelope&) const = default;
};

std::string to_json(const Envelope& envelope);
// Errors name the field ("envelope.tenant: required") and reject unknown versions.
Result<Envelope> envelope_from_json(std::string_view json);

// True for "poll", "backfill", "fetch" and "resync": the body is the PSA record as its API returned it (a
// webhook body is the PSA's notification, in its own shape).
inline bool is_polled(const Envelope& envelope) {
  return envelope.source == "poll" || envelope.source == "backfill" || envelope.source == "fetch" ||
         envelope.source == "resync";
}

std::string envelope_kafka_key(const Envelope& envelope);
// Routing facts as Kafka headers, so consumers can filter without parsing the value.
std::vector<KafkaHeader> envelope_kafka_headers(const Envelope& envelope);

}  // namespace switchyard
