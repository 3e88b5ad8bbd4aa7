// ConsumeLoop: the consume → handle → store-or-rewind loop that normalize and dispatch share.
// Each cycle polls a batch, hands it to the service's handler with a BatchProgress, and then
// rewinds every partition to its first unfinished message. An exception from the handler
// rewinds the same way (so the next stored offset never skips a failed message), is counted
// and logged, and the loop backs off a second before polling again.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/batch_progress.h"
#include "common/heartbeats.h"
#include "common/kafka_consumer.h"
#include "common/lag_reporter.h"
#include "common/metrics.h"

namespace switchyard {

class ConsumeLoop {
 public:
  using Handler = std::function<void(const std::vector<KafkaMessage>&, BatchProgress&)>;
  struct Options {
    std::string name;  // for log lines: "normalize", "dispatch"
    size_t batch_size = 500;
    std::chrono::milliseconds poll_timeout{100};
    std::chrono::milliseconds failure_backoff{1000};
  };

  // `on_idle` runs after an empty poll (health pings); it may be empty.
  ConsumeLoop(KafkaConsumer& consumer, Metrics& metrics, Options options, std::function<void()> on_idle = {});

  // One poll and its batch; returns how many messages finished. Rethrows the handler's
  // exception after rewinding.
  size_t run_once(const Handler& handle);
  // Cycles until `stop` is set; a failing batch never ends the loop. Beats `beat` (when given)
  // at every cycle: an idle cycle is one poll_timeout.
  void run(const std::atomic<bool>& stop, const Handler& handle, Heartbeat* beat = nullptr);

 private:
  KafkaConsumer& consumer_;
  Metrics& metrics_;
  Options options_;
  std::function<void()> on_idle_;
  LagReporter lag_;
};

// Sleeps up to `d`, waking early when `stop` is set; false if it was.
bool sleep_unless_stopped(std::chrono::milliseconds d, const std::atomic<bool>& stop);

}  // namespace switchyard
