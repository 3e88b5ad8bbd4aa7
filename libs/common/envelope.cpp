#include "common/envelope.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "common/trace.h"

namespace switchyard {

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::atomic<int> write_version{2};  // set_envelope_write_version

Error not_json(simdjson::error_code err) {
  return make_error("invalid_envelope", std::string("envelope is not valid JSON: ") + simdjson::error_message(err));
}

// The envelope's members as read, before they are checked (in a fixed order, so the first
// problem reported does not depend on the order of the members).
enum class Seen { absent, null, string, raw, integer, too_large, other };
struct Member {
  Seen seen = Seen::absent;
  std::string_view text;  // a string's unescaped text, or an object's or array's raw JSON
  int64_t integer = 0;
};
constexpr std::array<std::string_view, 11> kMembers = {"envelope_version", "tenant",      "psa",
                                                       "entity",           "entity_id",   "action",
                                                       "source",           "received_at", "idempotency_key",
                                                       "body",             "trace_id"};
constexpr size_t kVersion = 0, kBody = 9, kTrace = 10;

// Reads one member's value, on demand: an object or array is skipped over, not parsed, and its
// raw text kept (a version 2 body; the connector parses it when it maps the change).
simdjson::error_code read_member(simdjson::ondemand::value value, Member& m) {
  simdjson::ondemand::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case simdjson::ondemand::json_type::null:
      m.seen = Seen::null;
      return simdjson::SUCCESS;
    case simdjson::ondemand::json_type::string:
      m.seen = Seen::string;
      return value.get_string().get(m.text);
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object o;
      if (auto err = value.get_object().get(o)) return err;
      m.seen = Seen::raw;
      return o.raw_json().get(m.text);
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array a;
      if (auto err = value.get_array().get(a)) return err;
      m.seen = Seen::raw;
      return a.raw_json().get(m.text);
    }
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number_type kind;
      if (auto err = value.get_number_type().get(kind)) return err;
      if (kind == simdjson::ondemand::number_type::signed_integer) {
        m.seen = Seen::integer;
        return value.get_int64().get(m.integer);
      }
      m.seen = kind == simdjson::ondemand::number_type::unsigned_integer ? Seen::too_large : Seen::other;
      return simdjson::SUCCESS;
    }
    default:
      m.seen = Seen::other;
      return simdjson::SUCCESS;
  }
}

}  // namespace

bool embeds_as_json(std::string_view s) {
  return s.size() >= 2 && ((s.front() == '{' && s.back() == '}') || (s.front() == '[' && s.back() == ']'));
}

void set_envelope_write_version(int version) { write_version = version >= 2 ? 2 : 1; }

int envelope_version(const Envelope& e) {
  return write_version.load(std::memory_order_relaxed) == 2 && e.body_is_json && embeds_as_json(e.body) ? 2 : 1;
}

std::string to_json(const Envelope& e) {
  const int version = envelope_version(e);
  JsonWriter w;
  w.reserve(256 + e.body.size() + (version == 2 ? 0 : e.body.size() / 8));
  w.begin_object()
      .field("envelope_version", version)
      .field("tenant", e.tenant)
      .field("psa", e.psa)
      .field("entity", e.entity)
      .field("entity_id", e.entity_id)
      .field("action", e.action)
      .field("source", e.source)
      .field("received_at", e.received_at)
      .field("idempotency_key", e.idempotency_key);
  if (version == 2) {
    w.key("body").raw(e.body);
  } else {
    w.field("body", e.body);
  }
  if (!e.trace_id.empty()) w.field("trace_id", e.trace_id);
  w.end_object();
  return w.take();
}

Result<Envelope> envelope_from_json(std::string_view text, size_t readable_past_end) {
  // On demand, with one parser and padded buffer per thread (they keep their memory): a
  // version 2 body is found and kept as raw text, never unescaped or built into a tape.
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string padded;
  simdjson::ondemand::document doc;
  if (auto err = parser.iterate(json::padded_view(padded, text, readable_past_end)).get(doc)) {
    return not_json(err);
  }
  simdjson::ondemand::object obj;
  if (auto err = doc.get_object().get(obj)) {
    return err == simdjson::INCORRECT_TYPE ? make_error("invalid_envelope", "envelope: must be an object")
                                           : not_json(err);
  }
  std::array<Member, kMembers.size()> members;
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return not_json(err);
    const auto known = std::find(kMembers.begin(), kMembers.end(), key);
    if (known == kMembers.end()) continue;  // not ours: skipped
    Member& m = members[static_cast<size_t>(known - kMembers.begin())];
    if (m.seen != Seen::absent) continue;  // a repeated member: the first one counts
    if (auto err = read_member(field.value(), m)) return not_json(err);
  }
  // Past the object's end there is nothing left to read (no location) unless content trails.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return not_json(simdjson::TRAILING_CONTENT);

  const Member& version = members[kVersion];
  if (version.seen == Seen::too_large) return json::invalid_field("envelope.envelope_version", "out of range");
  if (version.seen == Seen::string || version.seen == Seen::raw || version.seen == Seen::other) {
    return json::invalid_field("envelope.envelope_version", "must be an integer");
  }
  if (version.seen != Seen::integer || (version.integer != 1 && version.integer != 2)) {
    return make_error("invalid_envelope", "envelope.envelope_version: must be 1 or 2");
  }
  Envelope e;
  e.body_is_json = version.integer == 2;
  std::string* const targets[] = {&e.tenant, &e.psa,         &e.entity,          &e.entity_id, &e.action,
                                  &e.source, &e.received_at, &e.idempotency_key, &e.body};
  for (size_t i = 1; i <= kBody; ++i) {
    const Member& m = members[i];
    // Built only for an error: this loop runs for every envelope normalize reads.
    const auto path = [i] { return "envelope." + std::string(kMembers[i]); };
    if (m.seen == Seen::absent || m.seen == Seen::null) return json::missing_field(path());
    if (i == kBody && e.body_is_json) {
      if (m.seen != Seen::raw) return json::invalid_field(path(), "must be a JSON object or array in envelope version 2");
      std::string_view raw = m.text;
      while (!raw.empty() && is_json_space(raw.back())) raw.remove_suffix(1);  // up to the next member
      e.body.assign(raw);
      continue;
    }
    if (m.seen != Seen::string) return json::invalid_field(path(), "must be a string");
    // The identifying fields become the canonical event's ids, which must not be empty.
    if (m.text.empty() && i != kBody) return make_error("invalid_envelope", path() + ": must not be empty");
    targets[i - 1]->assign(m.text);
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
  if (const Member& trace = members[kTrace]; trace.seen == Seen::string && is_trace_id(trace.text)) {
    e.trace_id.assign(trace.text);
  }
  return e;
}

std::string envelope_kafka_key(const Envelope& e) { return e.tenant + "/" + e.entity + "/" + e.entity_id; }

std::vector<KafkaHeader> envelope_kafka_headers(const Envelope& e) {
  std::vector<KafkaHeader> headers{{"sy-envelope-version", std::to_string(envelope_version(e))},
                                   {"sy-tenant", e.tenant},
                                   {"sy-psa", e.psa},
                                   {"sy-entity", e.entity},
                                   {"sy-source", e.source},
                                   {"sy-idempotency-key", e.idempotency_key}};
  if (!e.trace_id.empty()) headers.push_back({std::string(kTraceHeader), e.trace_id});
  return headers;
}

}  // namespace switchyard
