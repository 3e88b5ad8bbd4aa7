// A reader of what a topic receives from now on: a consumer in a fresh group that starts at the
// end of the topic, returned once its partitions are assigned and its positions resolved, so
// nothing produced afterwards is missed and nothing produced before is read.
#pragma once

#include <memory>
#include <string>

#include "common/kafka_consumer.h"

namespace switchyard::bench {

// fetch_wait_ms: see "The embedded broker" in docs/performance.md (it holds empty fetches).
std::unique_ptr<KafkaConsumer> open_tail_reader(const std::string& bootstrap, const std::string& topic,
                                                const std::string& fetch_wait_ms);

}  // namespace switchyard::bench
