#include "support/topic_reader.h"

#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

namespace switchyard::testing {
namespace {

using Clock = std::chrono::steady_clock;

KafkaMessage to_message(RdKafka::Message& m) {
  KafkaMessage out;
  out.topic = m.topic_name();
  out.partition = m.partition();
  out.offset = m.offset();
  if (const std::string* key = m.key()) out.key = *key;
  if (m.payload()) out.value.assign(static_cast<const char*>(m.payload()), m.len());
  if (RdKafka::Headers* headers = m.headers()) {
    for (const auto& h : headers->get_all()) {
      const char* data = static_cast<const char*>(h.value());
      out.headers.push_back({h.key(), data ? std::string(data, h.value_size()) : std::string()});
    }
  }
  out.timestamp_ms = m.timestamp().timestamp;
  return out;
}

std::unique_ptr<RdKafka::KafkaConsumer> make_consumer(const std::string& bootstrap) {
  static std::atomic<int> counter{0};
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  // group.id is required by the API even though assign() never joins the group.
  const std::string group = "switchyard-test-reader-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
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

// Partition count from metadata; 0 while the topic is unknown.
int partition_count(RdKafka::KafkaConsumer& consumer, const std::string& topic) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(&consumer, topic, nullptr, err));
  if (!handle) return 0;
  RdKafka::Metadata* raw = nullptr;
  if (consumer.metadata(false, handle.get(), &raw, 1000) != RdKafka::ERR_NO_ERROR) return 0;
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  for (const auto* t : *metadata->topics()) {
    if (t->topic() == topic && t->err() == RdKafka::ERR_NO_ERROR) return static_cast<int>(t->partitions()->size());
  }
  return 0;
}

}  // namespace

std::vector<KafkaMessage> read_topic(const std::string& bootstrap, const std::string& topic,
                                     size_t at_least, std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds quiet) {
  const auto deadline = Clock::now() + timeout;
  auto consumer = make_consumer(bootstrap);
  std::vector<KafkaMessage> messages;

  int partitions = 0;
  while ((partitions = partition_count(*consumer, topic)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);  // topic not created yet: poll metadata again
  }
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
        messages.push_back(to_message(*m));
        last_arrival = Clock::now();
      }
    }
  }
  consumer->close();
  return messages;
}

}  // namespace switchyard::testing
