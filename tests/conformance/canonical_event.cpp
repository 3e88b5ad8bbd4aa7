#include "conformance/canonical_event.h"

#include "common/canonical.h"
#include "common/time_format.h"
#include "ingest/change_envelopes.h"

namespace switchyard::conformance {

Result<std::string> canonical_event_json(const connectors::Connector& connector, const Tenant& tenant,
                                         const Envelope& e, simdjson::dom::parser& parser) {
  auto record = connector.to_canonical(e, parser, tenant.mappings);
  if (!record) return record.error();
  // As services/normalize/normalizer.cpp builds it.
  canonical::Event event{e.idempotency_key,
                         e.action == "deleted" ? canonical::Action::Deleted : canonical::Action::Upserted,
                         e.received_at, is_polled(e) ? "poll" : e.source, std::move(*record),
                         /*caused_by_command=*/std::nullopt, /*trigger=*/std::nullopt};
  return canonical::to_json(event);
}

Envelope polled_envelope(const Tenant& tenant, std::string entity, std::string entity_id, std::string body) {
  std::vector<connectors::Change> changes{
      connectors::Change{std::move(entity), std::move(entity_id), "updated", "conformance", std::move(body)}};
  return std::move(ingest::to_envelopes(tenant, std::move(changes), "poll").front());
}

}  // namespace switchyard::conformance
