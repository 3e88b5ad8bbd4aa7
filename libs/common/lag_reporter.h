// Consumer lag for the metrics, read at most once a second. KafkaConsumer::lag() asks the group
// coordinator for the committed offset of every assigned partition that has not delivered a
// message yet: a blocking round trip. Read on every poll, it was one of normalize's waits per
// batch wherever a partition was quiet (issue #18); Prometheus scrapes every 15 s.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "common/metrics.h"

namespace switchyard {

class LagReporter {
 public:
  using Lag = std::map<std::pair<std::string, int32_t>, int64_t>;
  using Clock = std::chrono::steady_clock;

  LagReporter(Metrics& metrics, std::function<Lag()> read, std::chrono::milliseconds every = std::chrono::seconds(1));

  // Reads the lag and publishes it when `every` has passed since the last read (the first call reads).
  void tick(Clock::time_point now = Clock::now());

 private:
  Metrics& metrics_;
  std::function<Lag()> read_;
  std::chrono::milliseconds every_;
  Clock::time_point next_ = Clock::time_point::min();  // the first tick reads
};

}  // namespace switchyard
