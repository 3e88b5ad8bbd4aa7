#include "support/topic_reader.h"

#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

#include "common/rdkafka_message.h"
#include "support/kafka_metadata.h"

namespace switchyard::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<RdKafka::KafkaConsumer> make_consumer(const std::string& bootstrap, std::string group = "") {
  static std::atomic<int> counter{0};
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  // group.id is required by the API even though assign() never joins the group.
  if (group.empty()) group = "switchyard-test-reader-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"bootstrap.servers", bootstrap},
                             {"group.id", group},
                             {"enable.auto.commit", "false"},
                             {"enable.partition.eof", "false"},
                             {"log_level", "3"}}) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) throw std::runtime_error("read_topic: " + err);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw std::runtime_error("read_topic: " + err);
  return consumer;
}

// Partition count, waiting (up to `deadline`) for the topic to exist.
int wait_for_partitions(RdKafka::KafkaConsumer& consumer, const std::string& topic, Clock::time_point deadline) {
  int partitions = 0;
  while ((partitions = partition_count(consumer, topic)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);  // topic not created yet: poll metadata again
  }
  return partitions;
}

// High watermark of each partition now; empty if one could not be read.
std::vector<int64_t> high_watermarks(RdKafka::KafkaConsumer& consumer, const std::string& topic, int partitions) {
  std::vector<int64_t> out;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    if (consumer.query_watermark_offsets(topic, p, &low, &high, 5000) != RdKafka::ERR_NO_ERROR) return {};
    out.push_back(high);
  }
  return out;
}

}  // namespace

std::vector<KafkaMessage> read_topic_to_end(const std::string& bootstrap, const std::string& topic,
                                            std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto consumer = make_consumer(bootstrap);
  std::vector<KafkaMessage> messages;
  const int partitions = wait_for_partitions(*consumer, topic, deadline);
  std::vector<int64_t> ends;
  while (partitions > 0 && (ends = high_watermarks(*consumer, topic, partitions)).empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  if (ends.empty()) return messages;
  std::vector<RdKafka::TopicPartition*> assignment;
  size_t remaining = 0;
  for (int p = 0; p < partitions; ++p) {
    if (ends[p] == 0) continue;
    assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
    ++remaining;
  }
  consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  std::vector<bool> finished(partitions, false);
  while (remaining > 0 && Clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(50));
    if (m->err() != RdKafka::ERR_NO_ERROR || m->offset() >= ends[m->partition()]) continue;
    messages.push_back(to_kafka_message(*m));
    if (m->offset() + 1 == ends[m->partition()] && !finished[m->partition()]) {
      finished[m->partition()] = true;
      --remaining;
    }
  }
  consumer->close();
  return messages;
}

bool wait_for_group(const std::string& bootstrap, const std::string& group, const std::string& topic,
                    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  // Same group id, but never subscribes: it only reads the group's committed offsets.
  auto consumer = make_consumer(bootstrap, group);
  const int partitions = wait_for_partitions(*consumer, topic, deadline);
  if (partitions == 0) return false;
  std::vector<int64_t> ends;
  while ((ends = high_watermarks(*consumer, topic, partitions)).empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  bool caught_up = false;
  while (!ends.empty() && !caught_up && Clock::now() < deadline) {
    std::vector<RdKafka::TopicPartition*> list;
    for (int p = 0; p < partitions; ++p) list.push_back(RdKafka::TopicPartition::create(topic, p));
    caught_up = consumer->committed(list, 5000) == RdKafka::ERR_NO_ERROR;
    for (int p = 0; p < partitions && caught_up; ++p) {
      const int64_t committed = list[p]->offset();
      caught_up = ends[p] == 0 || committed >= ends[p];
    }
    RdKafka::TopicPartition::destroy(list);
    if (!caught_up) std::this_thread::sleep_for(100ms);
  }
  consumer->close();
  return caught_up;
}

std::vector<KafkaMessage> read_topic(const std::string& bootstrap, const std::string& topic,
                                     size_t at_least, std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds quiet) {
  const auto deadline = Clock::now() + timeout;
  auto consumer = make_consumer(bootstrap);
  std::vector<KafkaMessage> messages;

  const int partitions = wait_for_partitions(*consumer, topic, deadline);
  if (partitions > 0) {
    std::vector<RdKafka::TopicPartition*> assignment;
    for (int p = 0; p < partitions; ++p) {
      assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
    }
    consumer->assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);

    auto last_arrival = Clock::now();
    while (Clock::now() < deadline) {
      if (messages.size() >= at_least && Clock::now() - last_arrival >= quiet) break;
      std::unique_ptr<RdKafka::Message> m(consumer->consume(50));
      if (m->err() == RdKafka::ERR_NO_ERROR) {
        messages.push_back(to_kafka_message(*m));
        last_arrival = Clock::now();
      }
    }
  }
  consumer->close();
  return messages;
}

}  // namespace switchyard::testing
