#include "ingest/offboard_report.h"

#include <utility>

#include "common/json_writer.h"

namespace switchyard::ingest {
namespace {

void write_removed(JsonWriter& w, const TenantKeyRemoval& keys) {
  w.field("keys_removed", keys.total()).key("removed").begin_object();
  for (const RemovedKeys& f : keys.families) w.field(f.family, f.removed);
  w.end_object();
}

// What offboarding leaves, by design: the same for every tenant.
constexpr std::pair<std::string_view, std::string_view> kNotRemoved[] = {
    {"dedup_keys",
     "normalize's dedup marks (sy:dedup:*) are keyed by a hash that carries no readable tenant; they expire by "
     "their TTL (7 days)"},
    {"kafka_records",
     "the tenant's records on the Kafka topics stay until retention removes them (7 days; dead letters 14); "
     "shorten a topic's retention.ms to remove them sooner (docs/runbooks.md#offboarding-a-tenant)"},
};

}  // namespace

std::string OffboardReport::to_json() const {
  JsonWriter w;
  w.begin_object().field("tenant", tenant).field("configured", configured).field("outcome", outcome());
  w.key("webhooks").begin_object().field("outcome", webhooks.outcome);
  if (!webhooks.reason.empty()) w.field("reason", webhooks.reason);
  if (!webhooks.message.empty()) w.field("message", webhooks.message);
  w.end_object();
  write_removed(w, keys);
  w.key("not_removed").begin_array();
  for (const auto& [what, why] : kNotRemoved) w.begin_object().field("what", what).field("why", why).end_object();
  w.end_array().end_object();
  return w.take();
}

std::string OffboardReport::audit_details() const {
  JsonWriter w;
  w.begin_object().field("configured", configured).field("webhooks", webhooks.outcome);
  if (!webhooks.reason.empty()) w.field("webhooks_reason", webhooks.reason);
  write_removed(w, keys);
  w.end_object();
  return w.take();
}

}  // namespace switchyard::ingest
