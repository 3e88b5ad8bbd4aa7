// KafkaReader: reads single messages by their coordinates (a dead letter to replay). It joins no
// consumer group and commits nothing, so it never takes partitions from the services. Not
// thread-safe: one thread uses it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/kafka_consumer.h"
#include "common/kafka_settings.h"
#include "common/result.h"

namespace switchyard {

class KafkaReader {
 public:
  static Result<std::unique_ptr<KafkaReader>> create(const KafkaSettings& settings);
  ~KafkaReader();

  // The message at (topic, partition, offset). Errors: "not_found" (the offset is before the
  // partition's start, so retention removed it, or at or after its end), "kafka_unavailable"
  // (no answer within `timeout`).
  Result<KafkaMessage> read(const std::string& topic, int32_t partition, int64_t offset,
                            std::chrono::milliseconds timeout);

 private:
  KafkaReader() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
