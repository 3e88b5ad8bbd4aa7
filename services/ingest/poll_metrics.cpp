#include "ingest/poll_metrics.h"

namespace switchyard::ingest {
namespace {

// A turn is one page to tens of pages at a PSA's latency: 10 ms to a few minutes.
const prometheus::Histogram::BucketBoundaries& turn_buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                                   2.5,  5,     10,   30,  60,   120, 300};
  return kBuckets;
}

const std::string kKinds[2] = {"live", "backfill"};

}  // namespace

PollMetrics::PollMetrics(Metrics& m)
    : polls_(prometheus::BuildCounter()
                 .Name("switchyard_ingest_polls_total")
                 .Help("Poll turns of PSA APIs, by tenant, entity, kind (live|backfill) and outcome (ok|error|throttled)")
                 .Register(m.registry())),
      duration_(prometheus::BuildHistogram()
                    .Name("switchyard_poll_duration_seconds")
                    .Help("Duration of one poll turn (lease to release), by kind")
                    .Register(m.registry())),
      leases_(prometheus::BuildCounter()
                  .Name("switchyard_poll_lease_attempts_total")
                  .Help("Poll lease attempts by outcome: taken, held (polled by another replica or this interval), error")
                  .Register(m.registry())),
      workers_(prometheus::BuildGauge()
                   .Name("switchyard_poll_workers")
                   .Help("Poll worker threads of this replica (SWITCHYARD_POLL_CONCURRENCY; 0 when it does not poll)")
                   .Register(m.registry())),
      busy_(prometheus::BuildGauge()
                .Name("switchyard_poll_workers_busy")
                .Help("Poll workers working on a tenant/entity now, by kind")
                .Register(m.registry())),
      due_(prometheus::BuildGauge()
               .Name("switchyard_poll_due_items")
               .Help("Tenant/entity polls that are due but no worker of this replica has taken yet, by kind")
               .Register(m.registry())),
      oldest_due_(prometheus::BuildGauge()
                      .Name("switchyard_poll_oldest_due_seconds")
                      .Help("How long the most overdue waiting poll has been due, by kind (0 when none waits)")
                      .Register(m.registry())),
      backfill_records_(prometheus::BuildCounter()
                            .Name("switchyard_poll_backfill_records_total")
                            .Help("Records imported by backfills and acknowledged by Kafka, by tenant and entity")
                            .Register(m.registry())),
      backfills_completed_(prometheus::BuildCounter()
                               .Name("switchyard_poll_backfills_completed_total")
                               .Help("Backfills this replica read to their end, by tenant and entity")
                               .Register(m.registry())),
      backfills_remaining_(prometheus::BuildGauge()
                               .Name("switchyard_poll_backfills_remaining")
                               .Help("Tenant/entity backfills this replica has not yet seen completed")
                               .Register(m.registry())) {
  workers_.Add({}).Set(0);
  for (const std::string& kind : kKinds) {
    busy_.Add({{"kind", kind}}).Set(0);
    due_.Add({{"kind", kind}}).Set(0);
    oldest_due_.Add({{"kind", kind}}).Set(0);
    duration_.Add({{"kind", kind}}, turn_buckets());
  }
  backfills_remaining_.Add({}).Set(0);
}

void PollMetrics::set_workers(size_t workers) { workers_.Add({}).Set(static_cast<double>(workers)); }

void PollMetrics::observe_turn(const std::string& tenant, const std::string& entity, PollKind kind,
                               const std::string& outcome, double seconds) {
  const std::string k(kind_name(kind));
  polls_.Add({{"tenant", tenant}, {"entity", entity}, {"kind", k}, {"outcome", outcome}}).Increment();
  duration_.Add({{"kind", k}}, turn_buckets()).Observe(seconds);
}

void PollMetrics::count_lease(const std::string& outcome) { leases_.Add({{"outcome", outcome}}).Increment(); }

void PollMetrics::count_backfill_records(const std::string& tenant, const std::string& entity, size_t n) {
  backfill_records_.Add({{"tenant", tenant}, {"entity", entity}}).Increment(static_cast<double>(n));
}

void PollMetrics::count_backfill_completed(const std::string& tenant, const std::string& entity) {
  backfills_completed_.Add({{"tenant", tenant}, {"entity", entity}}).Increment();
}

void PollMetrics::update(const PollSchedule::Stats& stats) {
  for (int kind = 0; kind < 2; ++kind) {
    busy_.Add({{"kind", kKinds[kind]}}).Set(static_cast<double>(stats.in_flight[kind]));
    due_.Add({{"kind", kKinds[kind]}}).Set(static_cast<double>(stats.due[kind]));
    oldest_due_.Add({{"kind", kKinds[kind]}}).Set(stats.oldest_due_seconds[kind]);
  }
  backfills_remaining_.Add({}).Set(static_cast<double>(stats.unfinished_backfills));
}

}  // namespace switchyard::ingest
