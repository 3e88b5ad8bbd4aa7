#include "dispatch/dispatch_metrics.h"

namespace switchyard::dispatch {

DispatchMetrics::DispatchMetrics(Metrics& m)
    : commands_(prometheus::BuildCounter()
                    .Name("switchyard_dispatch_commands_total")
                    .Help("Commands finished, by tenant, PSA, type and outcome")
                    .Register(m.registry())),
      retries_(prometheus::BuildCounter()
                   .Name("switchyard_dispatch_retries_total")
                   .Help("PSA writes retried after a retryable failure")
                   .Register(m.registry())),
      throttled_(prometheus::BuildCounter()
                     .Name("switchyard_dispatch_throttled_seconds_total")
                     .Help("Time spent waiting for the tenant's shared rate limit or a PSA's Retry-After")
                     .Register(m.registry())) {}

void DispatchMetrics::count_command(const std::string& tenant, const std::string& psa, const std::string& type,
                                    const std::string& outcome) {
  commands_.Add({{"tenant", tenant}, {"psa", psa}, {"type", type}, {"outcome", outcome}}).Increment();
}

void DispatchMetrics::count_retry(const std::string& tenant, const std::string& psa) {
  retries_.Add({{"tenant", tenant}, {"psa", psa}}).Increment();
}

void DispatchMetrics::add_throttled(const std::string& tenant, double seconds) {
  throttled_.Add({{"tenant", tenant}}).Increment(seconds);
}

}  // namespace switchyard::dispatch
