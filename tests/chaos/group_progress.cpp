#include "group_progress.h"

#include <librdkafka/rdkafkacpp.h>

#include <stdexcept>
#include <vector>

namespace switchyard::chaos {

GroupProgress::GroupProgress(const std::string& bootstrap, const std::string& group) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"bootstrap.servers", bootstrap},
                             {"group.id", group},
                             {"enable.auto.commit", "false"},
                             {"log_level", "3"}}) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) throw std::runtime_error("GroupProgress: " + err);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw std::runtime_error("GroupProgress: " + err);
}

GroupProgress::~GroupProgress() {
  // Never subscribed, so closing leaves no group and commits nothing.
  consumer_->close();
}

std::vector<int64_t> GroupProgress::ends(const std::string& topic, int partitions, std::chrono::milliseconds timeout) {
  std::vector<int64_t> out;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    if (consumer_->query_watermark_offsets(topic, p, &low, &high, static_cast<int>(timeout.count())) !=
        RdKafka::ERR_NO_ERROR) {
      return {};
    }
    out.push_back(high);
  }
  return out;
}

bool GroupProgress::committed(const std::string& topic, const std::vector<int64_t>& ends,
                              std::chrono::milliseconds timeout) {
  if (ends.empty()) return false;
  std::vector<RdKafka::TopicPartition*> parts;
  for (size_t p = 0; p < ends.size(); ++p) parts.push_back(RdKafka::TopicPartition::create(topic, static_cast<int>(p)));
  bool ok = consumer_->committed(parts, static_cast<int>(timeout.count())) == RdKafka::ERR_NO_ERROR;
  for (size_t p = 0; ok && p < ends.size(); ++p) {
    // Nothing committed yet reads as a negative offset: fine only for an empty partition.
    ok = parts[p]->err() == RdKafka::ERR_NO_ERROR && (ends[p] == 0 || parts[p]->offset() >= ends[p]);
  }
  RdKafka::TopicPartition::destroy(parts);
  return ok;
}

}  // namespace switchyard::chaos
