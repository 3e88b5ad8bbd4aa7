#include "support/kafka_helpers.h"

#include <stdexcept>

#include "support/eventually.h"

namespace switchyard::testing {

KafkaSettings settings_for(const EmbeddedKafka& kafka, int delivery_timeout_ms) {
  KafkaSettings s;
  s.bootstrap_servers = kafka.bootstrap();
  s.client_id = "kafka-client-test";
  s.delivery_timeout_ms = delivery_timeout_ms;
  return s;
}

KafkaSettings fast_group(KafkaSettings s) {
  s.extra["session.timeout.ms"] = "3000";
  s.extra["heartbeat.interval.ms"] = "500";
  return s;
}

std::unique_ptr<KafkaProducer> make_producer(const KafkaSettings& s) {
  auto producer = KafkaProducer::create(s);
  if (!producer) throw std::runtime_error(producer.error().message);
  return std::move(producer).value();
}

std::unique_ptr<KafkaConsumer> make_consumer(const KafkaSettings& s, const std::string& group,
                                             const std::string& topic) {
  auto consumer = KafkaConsumer::create(s, group, {topic});
  if (!consumer) throw std::runtime_error(consumer.error().message);
  return std::move(consumer).value();
}

std::vector<KafkaMessage> consume(KafkaConsumer& consumer, size_t n, std::chrono::milliseconds timeout) {
  std::vector<KafkaMessage> out;
  eventually(
      [&] {
        for (auto& m : consumer.poll_batch(n - out.size(), 100ms)) out.push_back(std::move(m));
        return out.size() >= n;
      },
      timeout, 0ms);
  return out;
}

void produce_values(KafkaProducer& producer, const std::string& topic, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (!producer.produce_sync(topic, "key-" + v, v).ok) throw std::runtime_error("produce failed: " + v);
  }
}

std::vector<std::string> values_of(const std::vector<KafkaMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.value);
  return out;
}

}  // namespace switchyard::testing
