// Autotask webhooks: the X-Hook-Signature check, decoding into changes, and the mapping of a
// webhook envelope's Fields (docs/psa/autotask.md).
#include <simdjson.h>

#include "common/crypto.h"
#include "common/json_read.h"
#include "common/json_writer.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"

namespace switchyard::connectors::autotask {

using simdjson::dom::object;

Status AutotaskConnector::verify_webhook(const Tenant& tenant, const WebhookRequest& request) const {
  // X-Hook-Signature: sha1=<base64(HMAC-SHA1(SecretKey, raw body))>
  std::string_view signature = http::find_header(request.headers, "X-Hook-Signature");
  if (!signature.starts_with("sha1=")) return make_error("missing_signature", "X-Hook-Signature: sha1=... is required");
  signature.remove_prefix(5);
  for (const auto& secret : tenant.webhook_signing_secrets) {
    if (crypto::constant_time_equal(signature, crypto::base64_encode(crypto::hmac_sha1(secret, request.body)))) {
      return ok_status();
    }
  }
  return make_error("bad_signature", "X-Hook-Signature does not match the tenant's secret key");
}

Result<std::vector<Change>> AutotaskConnector::decode_webhook(const Tenant&, std::string_view body) const {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  object obj;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "webhook body must be a JSON object");
  auto entity_type = json::required_string(obj, "EntityType", "");
  if (!entity_type) return entity_type.error();
  const std::string_view type = canonical_type_of(*entity_type);
  if (type.empty()) return make_error("unsupported_entity", "EntityType: \"" + *entity_type + "\" is not handled");
  auto id = json::required_id(obj, "Id", "");
  if (!id) return id.error();
  auto action = json::required_string(obj, "Action", "");
  if (!action) return action.error();
  std::string canonical_action;
  if (*action == "Create") canonical_action = "created";
  else if (*action == "Update") canonical_action = "updated";
  else if (*action == "Delete") canonical_action = "deleted";
  else return make_error("unsupported_action", "Action: \"" + *action + "\" is not Create, Update or Delete");

  std::string version = "deleted";
  if (canonical_action != "deleted") {
    auto fields = json::optional_object(obj, "Fields", "");
    if (!fields) return fields.error();
    std::optional<std::string> last = *fields ? version_of(**fields) : std::nullopt;
    // Without lastActivityDate in the payload the webhook cannot be matched to a poll;
    // its body digest still dedups Autotask's own redeliveries.
    version = last ? *last : "body:" + crypto::sha256_hex(body);
  }
  return std::vector<Change>{Change{std::string(type), *id, canonical_action, version, std::string(body)}};
}

// A webhook envelope: Fields holds the changed and "display always" fields; the id is outside them.
Result<canonical::Record> map_webhook(const Envelope& e, object obj, const MappingLookup& mappings) {
  object fields;
  if (e.action == "deleted") {
    canonical::Ticket deleted;
    deleted.tenant = e.tenant;
    deleted.source = canonical::SourceRef{"autotask", std::string(entity_of(e.entity)), e.entity_id};
    deleted.updated_at = e.received_at;
    deleted.closed = true;
    if (e.entity == "company") {
      auto c = canonical::with_base<canonical::Company>(deleted);
      c.active = false;
      return canonical::Record{std::move(c)};
    }
    return canonical::Record{std::move(deleted)};
  }
  // A webhook carries only changed and "display always" fields. Publishing it as the whole
  // record would blank the fields it lacks downstream, so a webhook without the record's
  // identifying fields is refused (dead-lettered with this reason); the poll brings the state.
  const std::string_view required = e.entity == "company" ? "companyName" : "title";
  simdjson::dom::element probe;
  if (obj["Fields"].get(fields) != simdjson::SUCCESS || fields[required].get(probe) != simdjson::SUCCESS) {
    return make_error("incomplete_webhook",
                      "autotask webhook for " + e.entity + " " + e.entity_id + " lacks \"" + std::string(required) +
                          "\": add the mapped fields as \"display always\" fields of the webhook (docs/psa/autotask.md)");
  }
  JsonWriter merged;  // the mapper reads one object: Fields plus id and the event time
  merged.begin_object().field("id", e.entity_id);
  if (!time_of(fields, "lastActivityDate")) merged.field("lastActivityDate", e.received_at);
  for (auto [key, value] : fields) {
    merged.key(key).raw(simdjson::minify(value));
  }
  merged.end_object();
  simdjson::dom::parser merged_parser;
  simdjson::dom::element merged_root;
  object merged_obj;
  if (merged_parser.parse(merged.str()).get(merged_root) != simdjson::SUCCESS ||
      merged_root.get(merged_obj) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "body.Fields: not an object");
  }
  return map_record(e.tenant, e.entity, merged_obj, mappings);
}

}  // namespace switchyard::connectors::autotask
