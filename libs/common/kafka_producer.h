// KafkaProducer: an idempotent producer (acks=all, enable.idempotence=true) whose every
// produce reports its outcome through a callback, so a caller can acknowledge its own
// client only after Kafka did. A background thread serves librdkafka's delivery reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_settings.h"
#include "common/result.h"

namespace switchyard {

struct KafkaHeader {
  std::string name;
  std::string value;
};

struct DeliveryResult {
  bool ok = false;
  std::string error;           // librdkafka's error text when !ok
  int32_t partition = -1;
  int64_t offset = -1;
  double latency_seconds = 0;  // produce() call to delivery report
};

using DeliveryCallback = std::function<void(const DeliveryResult&)>;

class KafkaProducer {
 public:
  static Result<std::unique_ptr<KafkaProducer>> create(const KafkaSettings& settings);
  ~KafkaProducer();  // flushes for up to the delivery timeout, then stops the poll thread

  // Never blocks for the broker. `done` runs exactly once, on the delivery-report thread
  // (or inline when librdkafka refuses the message at once, e.g. queue full).
  void produce(std::string_view topic, std::string_view key, std::string_view value,
               const std::vector<KafkaHeader>& headers, DeliveryCallback done);
  // The same, with the value handed over: kept until the delivery report instead of copied
  // (webhooks and events are kilobytes each).
  void produce_owned(std::string_view topic, std::string_view key, std::string&& value,
               const std::vector<KafkaHeader>& headers, DeliveryCallback done);
  // Blocking convenience for tools and tests.
  DeliveryResult produce_sync(std::string_view topic, std::string_view key, std::string_view value,
                              const std::vector<KafkaHeader>& headers = {});
  // Waits for all outstanding messages; false on timeout.
  bool flush(std::chrono::milliseconds timeout);
  // True when broker metadata can be fetched within `timeout` (readiness).
  bool reachable(std::chrono::milliseconds timeout);

 private:
  KafkaProducer() = default;
  struct Pending;
  void send(std::string_view topic, std::string_view key, std::string_view value,
            const std::vector<KafkaHeader>& headers, std::unique_ptr<Pending> pending,
            bool payload_is_pending = false);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
