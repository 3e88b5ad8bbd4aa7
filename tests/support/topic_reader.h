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

// Everything on the topic at the time of the call: reads each partition from the beginning up
// to the high watermark it had then. Deterministic, unlike a quiet window: use it once the
// producers of interest are known to be done (e.g. after wait_for_group).
std::vector<KafkaMessage> read_topic_to_end(const std::string& bootstrap, const std::string& topic,
                                            std::chrono::milliseconds timeout = 30s);

// True once consumer group `group` has committed, on every partition of `topic`, the high
// watermark the partition had at the time of the call: the group finished all of it (its
// outputs acknowledged, since offsets are stored only then). False at `timeout`.
bool wait_for_group(const std::string& bootstrap, const std::string& group, const std::string& topic,
                    std::chrono::milliseconds timeout = 30s);

}  // namespace switchyard::testing
