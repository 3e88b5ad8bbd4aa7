// Metadata lookups for test readers that use librdkafka directly.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <string>

namespace switchyard::testing {

// Partition count of `topic` from the broker's metadata; 0 while the topic is unknown.
int partition_count(RdKafka::KafkaConsumer& consumer, const std::string& topic);

}  // namespace switchyard::testing
