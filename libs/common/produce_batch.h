// ProduceBatch: produce many messages, then wait for every delivery report. Consumers use it
// to store offsets only for messages whose outputs Kafka acknowledged.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/kafka_producer.h"
#include "common/metrics.h"

namespace switchyard {

class ProduceBatch {
 public:
  ProduceBatch(KafkaProducer& producer, Metrics& metrics);
  // Returns the index of this message's result in wait()'s vector. The value is handed to the
  // producer, which keeps it until the delivery report (no copy of a temporary).
  size_t add(const std::string& topic, std::string_view key, std::string value,
             const std::vector<KafkaHeader>& headers);
  // Blocks until every added message has its delivery report.
  std::vector<DeliveryResult> wait();

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<DeliveryResult> results;
    size_t outstanding = 0;
  };
  KafkaProducer& producer_;
  Metrics& metrics_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace switchyard
