#include "common/dead_letter.h"

#include <simdjson.h>

#include <charconv>

#include "common/activity.h"
#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/time_format.h"

namespace switchyard {

std::string dead_letter_json(const DeadLetter& d, const KafkaMessage& m) {
  JsonWriter w;
  w.begin_object()
      .field("service", d.service)
      .key("reason")
      .begin_object()
      .field("code", d.reason_code)
      .field("message", d.reason)
      .field("help", troubleshooting_link(d.reason_code))
      .end_object()
      .field("tenant", d.tenant)
      .field("attempts", d.attempts)
      .field("failed_at", now_rfc3339())
      .key("original")
      .begin_object()
      .field("topic", m.topic)
      .field("partition", static_cast<int64_t>(m.partition))
      .field("offset", m.offset)
      .field("key", m.key)
      .field("value", m.value)
      .key("headers")
      .begin_array();
  // Kept so a replay carries them again (the trace id, the command's routing headers).
  for (const auto& h : m.headers) w.begin_object().field("name", h.name).field("value", h.value).end_object();
  w.end_array().end_object().end_object();
  return w.take();
}

Result<StoredDeadLetter> dead_letter_from_json(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object obj, reason, original;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS ||
      obj["reason"].get(reason) != simdjson::SUCCESS || obj["original"].get(original) != simdjson::SUCCESS) {
    return make_error("invalid_dead_letter", "not a dead letter: no reason or original");
  }
  StoredDeadLetter d;
  struct Member {
    simdjson::dom::object* from;
    std::string_view key;
    std::string* to;
  };
  for (const Member& m : {Member{&obj, "service", &d.letter.service}, Member{&obj, "tenant", &d.letter.tenant},
                          Member{&obj, "failed_at", &d.failed_at}, Member{&reason, "code", &d.letter.reason_code},
                          Member{&reason, "message", &d.letter.reason}, Member{&original, "topic", &d.original.topic},
                          Member{&original, "key", &d.original.key}, Member{&original, "value", &d.original.value}}) {
    auto value = json::optional_string(*m.from, m.key, "dead_letter");
    if (!value) return make_error("invalid_dead_letter", value.error().message);
    if (*value) *m.to = std::move(**value);
  }
  if (d.original.topic.empty()) return make_error("invalid_dead_letter", "dead_letter.original.topic: required");
  int64_t n = 0;
  if (original["partition"].get(n) == simdjson::SUCCESS) d.original.partition = static_cast<int32_t>(n);
  if (original["offset"].get(n) == simdjson::SUCCESS) d.original.offset = n;
  if (obj["attempts"].get(n) == simdjson::SUCCESS) d.letter.attempts = static_cast<int>(n);
  simdjson::dom::array headers;
  if (original["headers"].get(headers) == simdjson::SUCCESS) {
    for (simdjson::dom::element h : headers) {
      std::string_view name, value;
      if (h["name"].get(name) == simdjson::SUCCESS && h["value"].get(value) == simdjson::SUCCESS) {
        d.original.headers.push_back({std::string(name), std::string(value)});
      }
    }
  }
  return d;
}

std::vector<KafkaHeader> dead_letter_headers(const DeadLetter& d, const KafkaMessage& m) {
  return {{"sy-dlq-original-topic", m.topic},
          {"sy-dlq-original-partition", std::to_string(m.partition)},
          {"sy-dlq-original-offset", std::to_string(m.offset)},
          {"sy-dlq-reason", d.reason_code},
          {"sy-tenant", d.tenant}};
}

std::string to_string(const DeadLetterPlace& place) {
  std::string text = place.topic;
  text.append("/").append(std::to_string(place.partition)).append("/").append(std::to_string(place.offset));
  return text;
}

std::optional<DeadLetterPlace> parse_dead_letter_place(std::string_view text) {
  const size_t last = text.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const size_t middle = text.rfind('/', last - 1);
  if (middle == std::string_view::npos || middle == 0) return std::nullopt;
  DeadLetterPlace p;
  p.topic = std::string(text.substr(0, middle));
  const auto partition = text.substr(middle + 1, last - middle - 1);
  const auto offset = text.substr(last + 1);
  auto [pe, pec] = std::from_chars(partition.data(), partition.data() + partition.size(), p.partition);
  auto [oe, oec] = std::from_chars(offset.data(), offset.data() + offset.size(), p.offset);
  if (pec != std::errc{} || pe != partition.data() + partition.size() || oec != std::errc{} ||
      oe != offset.data() + offset.size() || p.partition < 0 || p.offset < 0) {
    return std::nullopt;
  }
  return p;
}

}  // namespace switchyard
