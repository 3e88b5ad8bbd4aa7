// librdkafka's C++ message → KafkaMessage (copies key, value and headers), for the consumer and
// for test readers that use librdkafka directly.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include "common/kafka_consumer.h"

namespace switchyard {

// `with_headers` false leaves `headers` empty: a consumer that reads them on demand (read_headers).
KafkaMessage to_kafka_message(RdKafka::Message& m, bool with_headers = true);
// The message's headers, in order, copied.
std::vector<KafkaHeader> read_headers(RdKafka::Message& m);

}  // namespace switchyard
