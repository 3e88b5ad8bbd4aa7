#include "common/lag_reporter.h"

namespace switchyard {

LagReporter::LagReporter(Metrics& metrics, std::function<Lag()> read, std::chrono::milliseconds every)
    : metrics_(metrics), read_(std::move(read)), every_(every) {}

void LagReporter::tick(Clock::time_point now) {
  if (now < next_) return;
  next_ = now + every_;
  metrics_.update_lag(read_());
}

}  // namespace switchyard
