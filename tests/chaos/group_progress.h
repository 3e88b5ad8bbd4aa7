// Whether a consumer group has committed everything on a topic, read without joining the group
// (OffsetFetch only): the chaos suite's sign that no message is still waiting to be processed,
// or redelivered, before it checks the ledger.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace RdKafka {
class KafkaConsumer;
}

namespace switchyard::chaos {

class GroupProgress {
 public:
  GroupProgress(const std::string& bootstrap, const std::string& group);
  ~GroupProgress();
  // True when the group's committed offset equals the end of every partition of `topic`.
  bool caught_up(const std::string& topic, int partitions, std::chrono::milliseconds timeout = std::chrono::seconds(3));

 private:
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace switchyard::chaos
