#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

IngestMetrics::IngestMetrics(Metrics& m)
    : accepted_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_events_total")
                    .Help("PSA changes acknowledged by Kafka on the raw topics, by tenant, PSA and source (webhook|poll|backfill|resync)")
                    .Register(m.registry()),
                {"tenant", "psa", "source"}),
      rejected_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_rejected_total")
                    .Help("Requests refused by ingest, by route and reason")
                    .Register(m.registry()),
                {"route", "reason"}),
      commands_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_commands_total")
                    .Help("Commands acknowledged by Kafka on the commands topic")
                    .Register(m.registry())),
      key_fetches_(prometheus::BuildCounter()
                       .Name("switchyard_webhook_key_fetches_total")
                       .Help("Webhook signing keys fetched from a PSA (key URLs named in webhooks), by PSA and result")
                       .Register(m.registry())),
      webhook_signals_(prometheus::BuildCounter()
                           .Name("switchyard_webhook_signals_total")
                           .Help("Webhooks about the subscription itself (kind=deactivated: the PSA switched the "
                                 "tenant's webhook off), by tenant, PSA and kind")
                           .Register(m.registry())),
      fetch_jobs_(prometheus::BuildCounter()
                      .Name("switchyard_fetch_jobs_total")
                      .Help("Jobs reading a partial webhook's record whole, by tenant and outcome "
                            "(scheduled, done, deferred, failed)")
                      .Register(m.registry())),
      fetch_failed_(prometheus::BuildCounter()
                        .Name("switchyard_fetch_jobs_failed_total")
                        .Help("Fetch jobs that failed for good, by tenant and reason")
                        .Register(m.registry())),
      offboards_(prometheus::BuildCounter()
                     .Name("switchyard_ingest_offboard_total")
                     .Help("Tenant offboarding requests, by outcome (ok, refused, failed)")
                     .Register(m.registry())),
      offboard_removed_(prometheus::BuildCounter()
                            .Name("switchyard_ingest_offboard_removed_keys_total")
                            .Help("Redis keys (and sorted-set members) removed by tenant offboarding, by key family")
                            .Register(m.registry())) {}

void IngestMetrics::count_accepted(const std::string& tenant, const std::string& psa, const std::string& source,
                                   size_t n) {
  accepted_.get({tenant, psa, source}).Increment(static_cast<double>(n));
}

void IngestMetrics::count_rejected(const std::string& route, const std::string& reason) {
  rejected_.get({route, reason}).Increment();
}

void IngestMetrics::count_command(const std::string& tenant, const std::string& type) {
  commands_.Add({{"tenant", tenant}, {"type", type}}).Increment();
}

void IngestMetrics::count_key_fetch(const std::string& psa, const std::string& result) {
  key_fetches_.Add({{"psa", psa}, {"result", result}}).Increment();
}

void IngestMetrics::count_webhook_signal(const std::string& tenant, const std::string& psa, const std::string& kind) {
  webhook_signals_.Add({{"tenant", tenant}, {"psa", psa}, {"kind", kind}}).Increment();
}

void IngestMetrics::count_fetch_job(const std::string& tenant, const std::string& outcome, size_t n) {
  fetch_jobs_.Add({{"tenant", tenant}, {"outcome", outcome}}).Increment(static_cast<double>(n));
}

void IngestMetrics::count_fetch_failed(const std::string& tenant, const std::string& reason) {
  fetch_failed_.Add({{"tenant", tenant}, {"reason", reason}}).Increment();
}

void IngestMetrics::count_offboard(const std::string& outcome) { offboards_.Add({{"outcome", outcome}}).Increment(); }

void IngestMetrics::count_offboard_removed(const std::string& family, int64_t n) {
  offboard_removed_.Add({{"family", family}}).Increment(static_cast<double>(n));
}

}  // namespace switchyard::ingest
