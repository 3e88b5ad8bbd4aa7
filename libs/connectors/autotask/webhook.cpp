// Autotask webhooks: the X-Hook-Signature check, decoding into changes (whole and partial
// payloads, Deactivated notices), and the mapping of a webhook envelope's Fields
// (docs/psa/autotask.md#4-webhooks).
#include <simdjson.h>

#include "common/crypto.h"
#include "common/hmac.h"
#include "common/json_read.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"
#include "connectors/autotask/webhook_entities.h"
#include "connectors/deleted_record.h"

namespace switchyard::connectors::autotask {

using simdjson::dom::object;

namespace {

// Autotask sends "Deactivated" to the webhook's DeactivationUrl when the webhook itself (not a
// record) is deactivated or deleted, e.g. when the resource that owns it is deactivated.
constexpr std::string_view kDeactivated = "Deactivated";

// A payload's Fields carry the record only when they hold its identifying field (Autotask sends
// the changed fields plus the "display always" ones). A present null counts as carried.
bool is_whole(const WebhookEntity& entity, object fields) {
  simdjson::dom::element probe;
  return fields[entity.identifying].get(probe) == simdjson::SUCCESS;
}

}  // namespace

Status AutotaskConnector::verify_webhook(const Tenant& tenant, const WebhookRequest& request) const {
  // X-Hook-Signature: sha1=<base64(HMAC-SHA1(SecretKey, raw body))>
  std::string_view signature = http::find_header(request.headers, "X-Hook-Signature");
  if (!signature.starts_with("sha1=")) return make_error("missing_signature", "X-Hook-Signature: sha1=... is required");
  signature.remove_prefix(5);
  for (const auto& secret : tenant.webhook_signing_secrets) {
    const std::string mac =
        crypto::cached_hmac(crypto::HmacDigest::sha1, crypto::HmacKeyFrom::secret, secret, request.body);
    if (crypto::constant_time_equal(signature, crypto::base64_encode(mac))) {
      return ok_status();
    }
  }
  return make_error("bad_signature", "X-Hook-Signature does not match the tenant's secret key");
}

std::optional<WebhookSignal> AutotaskConnector::webhook_signal(const Tenant&, std::string_view body) const {
  // Every webhook is asked this before it is decoded, and nearly none is a notice: a body that
  // does not spell the word is not parsed. JSON may write a letter as \uXXXX, so a body with
  // such an escape anywhere is parsed all the same.
  if (body.find(kDeactivated) == std::string_view::npos && body.find("\\u") == std::string_view::npos) {
    return std::nullopt;
  }
  thread_local simdjson::dom::parser parser;  // reused: a parser allocates its buffers on first use
  object obj;
  if (parser.parse(body.data(), body.size()).get(obj) != simdjson::SUCCESS) return std::nullopt;
  std::string_view action;
  if (obj["Action"].get(action) != simdjson::SUCCESS || action != kDeactivated) return std::nullopt;
  WebhookSignal signal{"deactivated", ""};
  std::string_view type;
  if (obj["EntityType"].get(type) == simdjson::SUCCESS) {
    if (const WebhookEntity* e = webhook_entity_by_payload(type)) signal.entity = std::string(e->type);
  }
  return signal;
}

Result<std::vector<Change>> AutotaskConnector::decode_webhook(const Tenant&, std::string_view body) const {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  object obj;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "webhook body must be a JSON object");
  auto action = json::required_string(obj, "Action", "");
  if (!action) return action.error();
  if (*action == kDeactivated) return std::vector<Change>{};  // about the webhook: see webhook_signal
  auto entity_type = json::required_string(obj, "EntityType", "");
  if (!entity_type) return entity_type.error();
  const WebhookEntity* entity = webhook_entity_by_payload(*entity_type);
  if (entity == nullptr) {
    return make_error("unsupported_entity", "EntityType: \"" + entity_type->substr(0, 64) + "\" is not handled");
  }
  auto id = json::required_id(obj, "Id", "");
  if (!id) return id.error();
  std::string canonical_action;
  if (*action == "Create") canonical_action = "created";
  else if (*action == "Update") canonical_action = "updated";
  else if (*action == "Delete") canonical_action = "deleted";
  else return make_error("unsupported_action", "Action: \"" + action->substr(0, 64) + "\" is not Create, Update, Delete or Deactivated");

  Change change{std::string(entity->type), *id, canonical_action, "deleted", std::string(body)};
  change.body_is_json = true;  // parsed whole above
  if (canonical_action != "deleted") {
    auto fields = json::optional_object(obj, "Fields", "");
    if (!fields) return fields.error();
    if (!*fields || !is_whole(*entity, **fields)) {
      // Only the changed fields: published as is (normalize skips it), and the whole record is
      // fetched. A version no whole record has, so the fetched one never dedups against it.
      change.needs_fetch = true;
      change.version = "partial:" + crypto::sha256_hex(body);
    } else {
      // Without the change time the webhook cannot be matched to a poll; its body digest still
      // dedups Autotask's own redeliveries.
      std::optional<std::string> at = change_version(*entity, **fields);
      change.version = at ? *at : "body:" + crypto::sha256_hex(body);
    }
  }
  std::vector<Change> out;
  out.push_back(std::move(change));
  return out;
}

// A webhook envelope: Fields holds the changed and "display always" fields; the id is outside them.
Result<canonical::Record> map_webhook(const Envelope& e, object obj, const MappingLookup& mappings) {
  const WebhookEntity* entity = webhook_entity_by_type(e.entity);
  if (entity == nullptr) return make_error("unsupported_entity", "autotask: no webhook mapping for \"" + e.entity + "\"");
  if (e.action == "deleted") return deleted_record(e, "autotask", entity->rest_name);
  // A partial payload would blank every field it lacks downstream: its whole record follows
  // as a fetched envelope (ingest scheduled the fetch when it took the webhook).
  object fields;
  if (obj["Fields"].get(fields) != simdjson::SUCCESS || !is_whole(*entity, fields)) {
    return make_error(std::string(kSuperseded), "autotask webhook for " + e.entity + " " + e.entity_id +
                                                    " carries only changed fields; the fetched record replaces it");
  }
  // Mapped from Fields in place: the id and, without a readable change time in Fields, the
  // event time come from the envelope (RecordOverlay), as if merged into one object.
  RecordOverlay overlay{e.entity_id, entity->changed_at, std::nullopt};
  if (!time_of(fields, entity->changed_at)) overlay.changed_at = e.received_at;
  return map_record(e.tenant, e.entity, fields, mappings, &overlay);
}

}  // namespace switchyard::connectors::autotask
