// TopicTail: a consumer that reads some topics from the beginning on a background thread for
// as long as it lives, and keeps every message. For long tests whose broker keeps only the
// newest data (the embedded broker holds ~5 MB per partition): what was read stays read.
// Uses assign(), not subscribe(), so no consumer group under test is disturbed; survives broker
// outages (librdkafka reconnects and resumes from its position).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/kafka_consumer.h"

namespace RdKafka {
class KafkaConsumer;
}

namespace switchyard::testing {

class TopicTail {
 public:
  // Starts reading at once; throws std::runtime_error when a topic's partitions cannot be
  // found within `metadata_timeout`.
  TopicTail(const std::string& bootstrap, std::vector<std::string> topics,
            std::chrono::milliseconds metadata_timeout = std::chrono::seconds(30));
  ~TopicTail();
  TopicTail(const TopicTail&) = delete;
  TopicTail& operator=(const TopicTail&) = delete;

  // Every message read so far on `topic`, per partition in offset order.
  std::vector<KafkaMessage> messages(const std::string& topic) const;
  size_t count(const std::string& topic) const;
  // True once the tail has read up to the partitions' current end (high watermarks queried
  // now), i.e. nothing already on the topics is still unread.
  bool caught_up(std::chrono::milliseconds query_timeout = std::chrono::seconds(2));

 private:
  void run();

  std::vector<std::string> topics_;
  std::map<std::string, int> partitions_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<KafkaMessage>> messages_;
  std::map<std::pair<std::string, int>, int64_t> next_offset_;  // per (topic, partition)
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace switchyard::testing
