// Whether a consumer group has committed everything on a topic, read without joining the group
// (OffsetFetch only): the chaos suite's sign that no message is still waiting to be processed,
// or redelivered, before it checks the ledger.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace RdKafka {
class KafkaConsumer;
}

namespace switchyard::chaos {

class GroupProgress {
 public:
  GroupProgress(const std::string& bootstrap, const std::string& group);
  ~GroupProgress();
  // The end (high watermark) of every partition of `topic` now; empty when it cannot be read.
  std::vector<int64_t> ends(const std::string& topic, int partitions,
                            std::chrono::milliseconds timeout = std::chrono::seconds(3));
  // True when the group has committed at least `ends` on every partition: everything that was
  // on the topic then is processed. (Compared with a snapshot, not the moving end: polls keep
  // adding to the raw topic.)
  bool committed(const std::string& topic, const std::vector<int64_t>& ends,
                 std::chrono::milliseconds timeout = std::chrono::seconds(3));

 private:
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace switchyard::chaos
