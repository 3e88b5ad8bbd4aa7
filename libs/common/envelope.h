// The envelope: how ingest wraps one PSA change before producing it to the raw topic. The raw
// body is kept byte for byte so a signature can be re-checked and a mapping bug replayed:
// version 2 embeds it as the JSON object (or array) it is, version 1 as a JSON string (any
// bytes). Readers take both (docs/architecture.md#envelope-raw-topic). Kafka key:
// tenant/entity/id, so every copy of one record's changes (webhook or poll) lands on one
// partition, in order, in front of one normalize consumer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_producer.h"
#include "common/result.h"

namespace switchyard {

struct Envelope {
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
  // The body was parsed whole as JSON (by the connector that made the change). Such a body,
  // an object or array with nothing around it, is embedded as it is (envelope version 2)
  // instead of escaped into a string: no escaping in ingest, no unescaping in normalize.
  bool body_is_json = false;
  // Follows the change through every service (common/trace.h); empty in envelopes written
  // before trace ids existed, or by another producer.
  std::string trace_id;
  bool operator==(const Envelope&) const = default;
};

// True when a body its connector parsed whole can be embedded as it is (version 2): one object
// or array with nothing around it, so its exact bytes come back out.
bool embeds_as_json(std::string_view body);
// 2 when to_json embeds the body as JSON (body_is_json and embeds_as_json, and version 2 is
// written at all), else 1.
int envelope_version(const Envelope& envelope);
// The newest version this process writes, 2 unless set: ingest sets it from
// SWITCHYARD_ENVELOPE_VERSION, 1 while normalize replicas that read only version 1 may still be
// running (an upgrade from before version 2). Readers always take both.
void set_envelope_write_version(int version);
std::string to_json(const Envelope& envelope);
// Errors name the field ("envelope.tenant: required") and reject unknown versions. A version 2
// envelope's body is its raw JSON text (body_is_json set); a version 1 body is the string's text.
// `readable_past_end` as for json::padded_view: a Kafka message's value has the padding reserved
// (common/rdkafka_message.cpp), so normalize parses it where it is.
Result<Envelope> envelope_from_json(std::string_view json, size_t readable_past_end = 0);

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
