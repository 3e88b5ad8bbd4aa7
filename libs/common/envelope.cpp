#include "common/envelope.h"

#include <simdjson.h>

#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "common/trace.h"

namespace switchyard {

std::string to_json(const Envelope& e) {
  JsonWriter w;
  w.reserve(256 + e.body.size() + e.body.size() / 8);
  w.begin_object()
      .field("envelope_version", e.version)
      .field("tenant", e.tenant)
      .field("psa", e.psa)
      .field("entity", e.entity)
      .field("entity_id", e.entity_id)
      .field("action", e.action)
      .field("source", e.source)
      .field("received_at", e.received_at)
      .field("idempotency_key", e.idempotency_key)
      .field("body", e.body);
  if (!e.trace_id.empty()) w.field("trace_id", e.trace_id);
  w.end_object();
  return w.take();
}

Result<Envelope> envelope_from_json(std::string_view text) {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(text.data(), text.size()).get(root); err) {
    return make_error("invalid_envelope", std::string("envelope is not valid JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_envelope", "envelope: must be an object");

  Envelope e;
  auto version = json::optional_int(obj, "envelope_version", "envelope");
  if (!version) return version.error();
  if (!*version || **version != kEnvelopeVersion) {
    return make_error("invalid_envelope", "envelope.envelope_version: must be 1");
  }
  struct Field {
    std::string_view key;
    std::string* target;
  };
  for (const Field& f : {Field{"tenant", &e.tenant}, Field{"psa", &e.psa}, Field{"entity", &e.entity},
                         Field{"entity_id", &e.entity_id}, Field{"action", &e.action}, Field{"source", &e.source},
                         Field{"received_at", &e.received_at}, Field{"idempotency_key", &e.idempotency_key},
                         Field{"body", &e.body}}) {
    auto value = json::required_string(obj, f.key, "envelope");
    if (!value) return value.error();
    // The identifying fields become the canonical event's ids, which must not be empty.
    if (value->empty() && f.key != "body") {
      return make_error("invalid_envelope", "envelope." + std::string(f.key) + ": must not be empty");
    }
    *f.target = std::move(*value);
  }
  // Becomes the canonical event's observed_at (and a deletion's updated_at): any producer can
  // write to the raw topic, and normalize must not publish an event that breaks the schema.
  if (!parse_rfc3339(e.received_at)) {
    return make_error("invalid_envelope", "envelope.received_at: must be an RFC 3339 time");
  }
  if (e.source != "webhook" && !is_polled(e)) {
    return make_error("invalid_envelope", "envelope.source: must be \"webhook\", \"poll\", \"backfill\", \"fetch\" or \"resync\"");
  }
  if (e.action != "created" && e.action != "updated" && e.action != "deleted") {
    return make_error("invalid_envelope", "envelope.action: must be created, updated or deleted");
  }
  // Optional: a malformed one is dropped rather than the change (it only joins log lines).
  if (auto trace = json::optional_string(obj, "trace_id", "envelope"); trace && *trace && is_trace_id(**trace)) {
    e.trace_id = std::move(**trace);
  }
  return e;
}

std::string envelope_kafka_key(const Envelope& e) { return e.tenant + "/" + e.entity + "/" + e.entity_id; }

std::vector<KafkaHeader> envelope_kafka_headers(const Envelope& e) {
  std::vector<KafkaHeader> headers{{"sy-envelope-version", std::to_string(e.version)},
                                   {"sy-tenant", e.tenant},
                                   {"sy-psa", e.psa},
                                   {"sy-entity", e.entity},
                                   {"sy-source", e.source},
                                   {"sy-idempotency-key", e.idempotency_key}};
  if (!e.trace_id.empty()) headers.push_back({std::string(kTraceHeader), e.trace_id});
  return headers;
}

}  // namespace switchyard
