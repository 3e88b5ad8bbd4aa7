#include "tail_reader.h"

#include <stdexcept>

#include "common/crypto.h"

namespace switchyard::bench {

std::unique_ptr<KafkaConsumer> open_tail_reader(const std::string& bootstrap, const std::string& topic,
                                                const std::string& fetch_wait_ms) {
  KafkaSettings kafka;
  kafka.bootstrap_servers = bootstrap;
  kafka.client_id = "sybench-reader";
  kafka.extra["fetch.wait.max.ms"] = fetch_wait_ms;
  kafka.extra["auto.offset.reset"] = "latest";  // a new group: from the end
  auto consumer = KafkaConsumer::create(kafka, "sybench-" + crypto::random_hex(4), {topic});
  if (!consumer) throw std::runtime_error(consumer.error().message);
  for (int i = 0; i < 300 && !(*consumer)->has_assignment(); ++i) {
    (*consumer)->poll_batch(100, std::chrono::milliseconds(100));
  }
  if (!(*consumer)->has_assignment()) throw std::runtime_error("the reader of " + topic + " got no partitions");
  // "latest" is resolved on the first fetch of each partition: let that happen first.
  for (int i = 0; i < 10; ++i) (*consumer)->poll_batch(100, std::chrono::milliseconds(50));
  return std::move(*consumer);
}

}  // namespace switchyard::bench
