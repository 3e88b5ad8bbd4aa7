// Reads what is on a topic, for assertions like "exactly one message arrived".
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/kafka_consumer.h"

namespace switchyard::testing {

using namespace std::chrono_literals;

// Reads every partition from the beginning (assign, not subscribe: no consumer group is joined,
// so groups under test are not disturbed). Returns once at least `at_least` messages were read
// and nothing new arrived for `quiet`, or at `timeout` with whatever was read. Messages are in
// arrival order (per partition in offset order).
std::vector<KafkaMessage> read_topic(const std::string& bootstrap, const std::string& topic,
                                     size_t at_least, std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds quiet = 500ms);

}  // namespace switchyard::testing
