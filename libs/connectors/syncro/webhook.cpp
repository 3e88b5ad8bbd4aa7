// Syncro notification webhooks (docs/psa/syncro.md, "Webhooks"). Syncro does not sign them, so
// the tenant's URL secret (checked by ingest before this connector sees the request) is the
// whole check. The payload is not documented: the connector takes the record's attributes,
// either as the body itself or wrapped in "attributes", tells the record type by the fields
// only that type has, and versions the change by its updated_at, as a poll reads it.
#include <simdjson.h>

#include "common/json_read.h"
#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {
namespace {

bool has(simdjson::dom::object record, std::string_view key) { return !record[key].error(); }

// The canonical type of a Syncro record, by its distinguishing fields (the spec's examples).
const char* type_of(simdjson::dom::object record) {
  if (has(record, "subject") && (has(record, "number") || has(record, "problem_type"))) return "ticket";
  if (has(record, "contract_amount")) return "agreement";
  if (has(record, "asset_type") || has(record, "asset_serial")) return "configuration";
  if (has(record, "business_then_name") || has(record, "fullname")) return "company";
  if (has(record, "name") && has(record, "customer_id")) return "contact";
  return nullptr;
}

}  // namespace

Status SyncroConnector::verify_webhook(const Tenant&, const WebhookRequest&) const {
  return ok_status();  // unsigned: the URL secret, checked by ingest, is the check
}

Result<std::vector<Change>> SyncroConnector::decode_webhook(const Tenant&, std::string_view body) const {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  simdjson::dom::object record;
  if (root.get(record) != simdjson::SUCCESS) return make_error("invalid_payload", "webhook body must be a JSON object");
  simdjson::dom::object attributes;
  if (record["attributes"].get(attributes) == simdjson::SUCCESS) record = attributes;
  const char* type = type_of(record);
  if (!type) {
    return make_error("unsupported_entity",
                      "the webhook is not a ticket, customer, contact, asset or contract Syncro sends");
  }
  auto id = json::required_id(record, "id", "");
  if (!id) return id.error();
  auto changed = json::required_string(record, "updated_at", "");
  if (!changed) return changed.error();
  const auto version = syncro_time(*changed);
  if (!version) return json::invalid_field("updated_at", "not a date-time");
  // Syncro's payload does not say reliably whether the record is new: every change is an
  // update (normalize publishes both as "upserted").
  return std::vector<Change>{Change{type, *id, "updated", *version, std::string(simdjson::minify(record))}};
}

}  // namespace switchyard::connectors::syncro
