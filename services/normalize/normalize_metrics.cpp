#include "normalize/normalize_metrics.h"

namespace switchyard::normalize {

NormalizeMetrics::NormalizeMetrics(Metrics& m)
    : consumed_(prometheus::BuildCounter()
                    .Name("switchyard_normalize_consumed_total")
                    .Help("Raw envelopes consumed from the raw topic")
                    .Register(m.registry())
                    .Add({})),
      canonical_(prometheus::BuildCounter()
                     .Name("switchyard_normalize_events_total")
                     .Help("Canonical events produced and acknowledged, by tenant and type")
                     .Register(m.registry()),
                 {"tenant", "type"}),
      duplicates_(prometheus::BuildCounter()
                      .Name("switchyard_normalize_duplicates_total")
                      .Help("Raw envelopes dropped because their change was already emitted")
                      .Register(m.registry()),
                  {"tenant"}),
      failed_(prometheus::BuildCounter()
                  .Name("switchyard_normalize_failed_total")
                  .Help("Raw envelopes that could not be mapped (sent to the dead-letter topic), by reason")
                  .Register(m.registry()),
              {"reason"}),
      superseded_(prometheus::BuildCounter()
                      .Name("switchyard_normalize_superseded_total")
                      .Help("Raw envelopes skipped because a later one carries their whole record (partial "
                            "webhooks, whose record ingest fetched), by tenant")
                      .Register(m.registry()),
                  {"tenant"}),
      label_misses_(prometheus::BuildCounter()
                        .Name("switchyard_normalize_label_misses_total")
                        .Help("Picklist ids published as names because the tenant's PSA labels were not known yet")
                        .Register(m.registry()),
                    {"tenant"}),
      suppressed_(prometheus::BuildCounter()
                      .Name("switchyard_normalize_suppressed_total")
                      .Help("Canonical events a tenant's sync policies held back, by tenant and reason "
                            "(out_of_scope, unchanged, echo)")
                      .Register(m.registry()),
                  {"tenant", "reason"}),
      policy_records_(prometheus::BuildCounter()
                          .Name("switchyard_normalize_policy_records_total")
                          .Help("Records the sync policies added (scope_change, company_summary, company), by tenant "
                                "and type")
                          .Register(m.registry()),
                      {"tenant", "type"}) {}

void NormalizeMetrics::count_consumed(size_t n) { consumed_.Increment(static_cast<double>(n)); }
void NormalizeMetrics::count_canonical(const std::string& tenant, const std::string& type) {
  canonical_.get({tenant, type}).Increment();
}
void NormalizeMetrics::count_duplicate(const std::string& tenant) { duplicates_.get({tenant}).Increment(); }
void NormalizeMetrics::count_label_misses(const std::string& tenant, size_t n) {
  label_misses_.get({tenant}).Increment(static_cast<double>(n));
}
void NormalizeMetrics::count_failed(const std::string& reason) { failed_.get({reason}).Increment(); }
void NormalizeMetrics::count_suppressed(const std::string& tenant, const std::string& reason) {
  suppressed_.get({tenant, reason}).Increment();
}
void NormalizeMetrics::count_policy_record(const std::string& tenant, const std::string& type) {
  policy_records_.get({tenant, type}).Increment();
}
void NormalizeMetrics::count_superseded(const std::string& tenant) { superseded_.get({tenant}).Increment(); }

}  // namespace switchyard::normalize
