// Small Kafka helpers for integration tests: settings for the embedded cluster, clients that
// throw instead of returning errors, and polling until n messages arrived.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "support/embedded_kafka.h"

namespace switchyard::testing {

KafkaSettings settings_for(const EmbeddedKafka& kafka, int delivery_timeout_ms = 10000);
// The mock keeps an emptied group "rebalancing" for session.timeout.ms − 1 s before a new member
// gets partitions (9 s with the default 10 s); a short session keeps the group tests quick.
KafkaSettings fast_group(KafkaSettings s);
std::unique_ptr<KafkaProducer> make_producer(const KafkaSettings& s);
std::unique_ptr<KafkaConsumer> make_consumer(const KafkaSettings& s, const std::string& group,
                                             const std::string& topic);
// Polls until `n` messages arrived or `timeout` passed. A new group's first rebalance on the
// mock takes about 3 s, so callers give generous timeouts.
std::vector<KafkaMessage> consume(KafkaConsumer& consumer, size_t n, std::chrono::milliseconds timeout);
// Produces each value (key "key-<value>") and waits for its acknowledgement; throws on failure.
void produce_values(KafkaProducer& producer, const std::string& topic, const std::vector<std::string>& values);
std::vector<std::string> values_of(const std::vector<KafkaMessage>& messages);

}  // namespace switchyard::testing
