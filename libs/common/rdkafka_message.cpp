#include "common/rdkafka_message.h"

namespace switchyard {

KafkaMessage to_kafka_message(RdKafka::Message& m) {
  KafkaMessage out;
  out.topic = m.topic_name();
  out.partition = m.partition();
  out.offset = m.offset();
  if (const std::string* key = m.key()) out.key = *key;
  if (m.payload()) out.value.assign(static_cast<const char*>(m.payload()), m.len());
  if (RdKafka::Headers* headers = m.headers()) {
    for (const auto& h : headers->get_all()) {
      const char* data = static_cast<const char*>(h.value());
      out.headers.push_back({h.key(), data ? std::string(data, h.value_size()) : std::string()});
    }
  }
  out.timestamp_ms = m.timestamp().timestamp;
  return out;
}

}  // namespace switchyard
