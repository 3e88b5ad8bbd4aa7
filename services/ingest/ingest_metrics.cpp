#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

IngestMetrics::IngestMetrics(Metrics& m)
    : accepted_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_events_total")
                    .Help("PSA changes acknowledged by Kafka on the raw topics, by tenant, PSA and source (webhook|poll|backfill)")
                    .Register(m.registry())),
      rejected_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_rejected_total")
                    .Help("Requests refused by ingest, by route and reason")
                    .Register(m.registry())),
      commands_(prometheus::BuildCounter()
                    .Name("switchyard_ingest_commands_total")
                    .Help("Commands acknowledged by Kafka on the commands topic")
                    .Register(m.registry())),
      key_fetches_(prometheus::BuildCounter()
                       .Name("switchyard_webhook_key_fetches_total")
                       .Help("Webhook signing keys fetched from a PSA (key URLs named in webhooks), by PSA and result")
                       .Register(m.registry())) {}

void IngestMetrics::count_accepted(const std::string& tenant, const std::string& psa, const std::string& source,
                                   size_t n) {
  accepted_.Add({{"tenant", tenant}, {"psa", psa}, {"source", source}}).Increment(static_cast<double>(n));
}

void IngestMetrics::count_rejected(const std::string& route, const std::string& reason) {
  rejected_.Add({{"route", route}, {"reason", reason}}).Increment();
}

void IngestMetrics::count_command(const std::string& tenant, const std::string& type) {
  commands_.Add({{"tenant", tenant}, {"type", type}}).Increment();
}

void IngestMetrics::count_key_fetch(const std::string& psa, const std::string& result) {
  key_fetches_.Add({{"psa", psa}, {"result", result}}).Increment();
}

}  // namespace switchyard::ingest
