#include "support/topic_tail.h"

#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <stdexcept>

#include "common/rdkafka_message.h"
#include "support/kafka_metadata.h"

namespace switchyard::testing {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

TopicTail::TopicTail(const std::string& bootstrap, std::vector<std::string> topics,
                     std::chrono::milliseconds metadata_timeout)
    : topics_(std::move(topics)) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  // group.id is required by the API even though assign() never joins the group.
  const std::string group =
      "switchyard-test-tail-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this));
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"bootstrap.servers", bootstrap},
                             {"group.id", group},
                             {"enable.auto.commit", "false"},
                             {"enable.partition.eof", "false"},
                             // Fell behind what the broker keeps: resume at the oldest data left.
                             {"auto.offset.reset", "earliest"},
                             // Outages are what long tests inject: no error chatter about them.
                             {"log_level", "0"}}) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) throw std::runtime_error("TopicTail: " + err);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw std::runtime_error("TopicTail: " + err);

  const auto deadline = Clock::now() + metadata_timeout;
  std::vector<RdKafka::TopicPartition*> assignment;
  for (const auto& topic : topics_) {
    int n = 0;
    while ((n = partition_count(*consumer_, topic)) == 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // topic not created yet
    }
    if (n == 0) throw std::runtime_error("TopicTail: no partitions for " + topic);
    partitions_[topic] = n;
    messages_[topic];
    for (int p = 0; p < n; ++p) {
      assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
      next_offset_[{topic, p}] = 0;
    }
  }
  consumer_->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  thread_ = std::thread([this] { run(); });
}

TopicTail::~TopicTail() {
  stop_ = true;
  thread_.join();
  consumer_->close();
}

void TopicTail::run() {
  while (!stop_) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    KafkaMessage message = to_kafka_message(*m);
    std::lock_guard lock(mu_);
    next_offset_[{message.topic, message.partition}] = message.offset + 1;
    messages_[message.topic].push_back(std::move(message));
  }
}

std::vector<KafkaMessage> TopicTail::messages(const std::string& topic) const {
  std::lock_guard lock(mu_);
  const auto it = messages_.find(topic);
  return it == messages_.end() ? std::vector<KafkaMessage>{} : it->second;
}

size_t TopicTail::count(const std::string& topic) const {
  std::lock_guard lock(mu_);
  const auto it = messages_.find(topic);
  return it == messages_.end() ? 0 : it->second.size();
}

bool TopicTail::caught_up(std::chrono::milliseconds query_timeout) {
  for (const auto& [topic, n] : partitions_) {
    for (int p = 0; p < n; ++p) {
      int64_t low = 0, high = 0;
      if (consumer_->query_watermark_offsets(topic, p, &low, &high, static_cast<int>(query_timeout.count())) !=
          RdKafka::ERR_NO_ERROR) {
        return false;
      }
      std::lock_guard lock(mu_);
      if (next_offset_[{topic, p}] < high) return false;
    }
  }
  return true;
}

}  // namespace switchyard::testing
