// Kaseya BMS webhooks (docs/psa/kaseya-bms.md, "Webhooks"). BMS publishes neither the event body
// nor how its optional Secret signs it, so the tenant's URL secret (checked by ingest) is the
// check, and the body is read only for the record it names: its id (Id, TicketId or EntityId, at
// the top or in a Data/Ticket/Entity/Payload object) and its event (Created/Updated/Deleted).
// Each change is partial: ingest fetches the ticket itself (fetch_record), so whatever else the
// body holds is never trusted.
#include <simdjson.h>

#include "common/crypto.h"
#include "connectors/kaseya_bms/kaseya_bms_connector.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_bms {
namespace {

using kaseya_v2::id_text;
using kaseya_v2::object_of;
using kaseya_v2::text;

constexpr size_t kMaxBody = 256 * 1024;

std::optional<std::string> id_in(simdjson::dom::object obj) {
  for (std::string_view key : {"TicketId", "EntityId", "Id", "RecordId"}) {
    if (auto id = id_text(obj, key); id && id->find_first_not_of("0123456789") == std::string::npos) return id;
  }
  return std::nullopt;
}

std::string action_of(simdjson::dom::object obj) {
  for (std::string_view key : {"Event", "EventName", "EventType", "Action"}) {
    if (const auto event = text(obj, key)) {
      if (event->find("Delete") != std::string::npos || event->find("delete") != std::string::npos) return "deleted";
      if (event->find("Create") != std::string::npos || event->find("create") != std::string::npos) return "created";
      return "updated";
    }
  }
  return "updated";
}

}  // namespace

Status KaseyaBmsConnector::verify_webhook(const Tenant&, const WebhookRequest&) const {
  return ok_status();  // no documented signature: the URL secret, checked by ingest, is the check
}

Result<std::vector<Change>> KaseyaBmsConnector::decode_webhook(const Tenant&, std::string_view body) const {
  if (body.size() > kMaxBody) return make_error("invalid_payload", "the webhook body is larger than 256 KiB");
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  simdjson::dom::object event;
  if (root.get(event) != simdjson::SUCCESS) return make_error("invalid_payload", "webhook body must be a JSON object");
  std::optional<std::string> id = id_in(event);
  for (std::string_view key : {"Data", "Ticket", "Entity", "Payload"}) {
    if (id) break;
    if (const auto inner = object_of(event, key)) id = id_in(*inner);
  }
  if (!id) return make_error("invalid_payload", "the webhook names no ticket id (Id, TicketId or EntityId)");
  Change change;
  change.entity = "ticket";
  change.entity_id = std::move(*id);
  change.action = action_of(event);
  // No full record to version: a version no polled ticket has, from the body itself.
  change.version = "webhook:";
  change.version.append(crypto::sha256_hex(body).substr(0, 32));
  change.body = std::string(simdjson::minify(root));
  change.needs_fetch = change.action != "deleted";
  return std::vector<Change>{std::move(change)};
}

}  // namespace switchyard::connectors::kaseya_bms
