// The poller's metrics (docs/architecture.md, Observability). Tenant labels only ever carry
// configured tenants; kinds are "live" and "backfill".
#pragma once

#include <string>

#include "common/metrics.h"
#include "ingest/poll_schedule.h"

namespace switchyard::ingest {

class PollMetrics {
 public:
  explicit PollMetrics(Metrics& metrics);
  // The pool size; 0 on a replica that does not poll (SWITCHYARD_POLLING=false), so queries can
  // tell polling replicas apart.
  void set_workers(size_t workers);

  // One turn of a worker on a tenant/entity: outcome ok (pages read and stored), error, or
  // throttled (the tenant's rate limit or its PSA's 429 ended the turn early; not a failure).
  void observe_turn(const std::string& tenant, const std::string& entity, PollKind kind, const std::string& outcome,
                    double seconds);
  // A lease attempt: taken, held (another replica polls it, or polled it this interval), error.
  void count_lease(const std::string& outcome);
  void count_backfill_records(const std::string& tenant, const std::string& entity, size_t n);
  void count_backfill_completed(const std::string& tenant, const std::string& entity);
  // Refreshes the gauges from the schedule (workers busy, due items, oldest due age, backfills).
  void update(const PollSchedule::Stats& stats);

 private:
  prometheus::Family<prometheus::Counter>& polls_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& leases_;
  prometheus::Family<prometheus::Gauge>& workers_;
  prometheus::Family<prometheus::Gauge>& busy_;
  prometheus::Family<prometheus::Gauge>& due_;
  prometheus::Family<prometheus::Gauge>& oldest_due_;
  prometheus::Family<prometheus::Counter>& backfill_records_;
  prometheus::Family<prometheus::Counter>& backfills_completed_;
  prometheus::Family<prometheus::Gauge>& backfills_remaining_;
};

}  // namespace switchyard::ingest
