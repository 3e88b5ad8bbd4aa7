#include "common/dead_letter.h"

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
      .end_object()
      .end_object();
  return w.take();
}

std::vector<KafkaHeader> dead_letter_headers(const DeadLetter& d, const KafkaMessage& m) {
  return {{"sy-dlq-original-topic", m.topic},
          {"sy-dlq-original-partition", std::to_string(m.partition)},
          {"sy-dlq-original-offset", std::to_string(m.offset)},
          {"sy-dlq-reason", d.reason_code},
          {"sy-tenant", d.tenant}};
}

}  // namespace switchyard
