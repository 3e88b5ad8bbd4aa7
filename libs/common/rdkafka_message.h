// librdkafka's C++ message → KafkaMessage (copies key, value and headers), for the consumer and
// for test readers that use librdkafka directly.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include "common/kafka_consumer.h"

namespace switchyard {

KafkaMessage to_kafka_message(RdKafka::Message& m);

}  // namespace switchyard
