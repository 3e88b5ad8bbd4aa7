#include "common/lag_reporter.h"

namespace switchyard {

LagReporter::LagReporter(Metrics& metrics, std::function<Lag()> read, std::chrono::milliseconds every)
    : metrics_(metrics), read_(std::move(read)), every_(every) {}

void LagReporter::tick(Clock::time_point now) {
  if (read_once_ && now < next_) return;
  read_once_ = true;
  next_ = now + every_;
  metrics_.update_lag(read_());
}

}  // namespace switchyard
