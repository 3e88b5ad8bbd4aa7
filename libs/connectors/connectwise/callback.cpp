// ConnectWise callbacks: signature check and decoding. The callback body carries the record
// as an escaped JSON string in "Entity"; see docs/psa/connectwise.md.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/crypto.h"
#include "common/hmac.h"
#include "common/idempotency.h"
#include "common/json_read.h"
#include "common/text.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

// x-content-signature = base64(HMAC-SHA256(key = SHA256(signing key), raw body)). The hashed
// key and its keyed HMAC context are made once per signing key (common/hmac.h).
std::string expected_signature(std::string_view signing_key, std::string_view body) {
  return crypto::base64_encode(
      crypto::cached_hmac(crypto::HmacDigest::sha256, crypto::HmacKeyFrom::sha256_of_secret, signing_key, body));
}

// The callback's Type (ConnectWise writes it in lower case; matched ignoring case) → the
// canonical type. Additions have no callback type of their own.
std::optional<std::string> canonical_type(std::string_view type) {
  for (std::string_view known : {"ticket", "company", "contact", "agreement", "configuration"}) {
    if (type.size() == known.size() &&
        std::equal(type.begin(), type.end(), known.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
      return std::string(known);
    }
  }
  return std::nullopt;
}

Result<std::string> canonical_action(std::string_view action) {
  if (action == "added") return std::string("created");
  if (action == "updated") return std::string("updated");
  if (action == "deleted") return std::string("deleted");
  return make_error("unsupported_action", "Action: must be added, updated or deleted");
}

}  // namespace

Status ConnectWiseConnector::verify_webhook(const Tenant& tenant, const WebhookRequest& request) const {
  const std::string_view signature = http::find_header(request.headers, "x-content-signature");
  if (signature.empty()) return make_error("missing_signature", "x-content-signature header is required");
  // The tenant's configured keys first, then any the PSA served for this callback (key_url).
  for (const auto& secret : tenant.webhook_signing_secrets) {
    if (crypto::constant_time_equal(signature, expected_signature(secret, request.body))) return ok_status();
  }
  if (request.psa_keys != nullptr) {
    for (const auto& key : *request.psa_keys) {
      if (crypto::constant_time_equal(signature, expected_signature(key, request.body))) return ok_status();
    }
  }
  return make_error("bad_signature", "x-content-signature does not match the tenant's signing key");
}

Result<std::vector<Change>> ConnectWiseConnector::decode_webhook(const Tenant& tenant, std::string_view body) const {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "callback body must be a JSON object");

  auto type_text = json::required_string(obj, "Type", "");
  if (!type_text) return type_text.error();
  const auto type = canonical_type(*type_text);
  if (!type) {
    return make_error("unsupported_entity", "Type: \"" + utf8_prefix(valid_utf8(*type_text), 40) +
                                                "\" is not handled (ticket, company, contact, agreement, configuration)");
  }
  auto id = json::required_id(obj, "ID", "");
  if (!id) return id.error();
  auto action_text = json::required_string(obj, "Action", "");
  if (!action_text) return action_text.error();
  auto action = canonical_action(*action_text);
  if (!action) return action.error();

  std::string version = "deleted";
  if (*action != "deleted") {
    // The record is an escaped JSON string; its _info.lastUpdated is the change's version,
    // the same value a poll of that record returns.
    auto entity_text = json::required_string(obj, "Entity", "");
    if (!entity_text) return entity_text.error();
    // One parser per thread, reused: a parser allocates its buffers on first use.
    thread_local simdjson::dom::parser entity_parser;
    simdjson::dom::element entity;
    simdjson::dom::object entity_obj;
    if (entity_parser.parse(*entity_text).get(entity) != simdjson::SUCCESS ||
        entity.get(entity_obj) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "Entity: must be a JSON object encoded as a string");
    }
    auto info = json::required_object(entity_obj, "_info", "Entity");
    if (!info) return info.error();
    auto updated = json::required_string(*info, "lastUpdated", "Entity._info");
    if (!updated) return updated.error();
    auto normalized = normalize_rfc3339(*updated);
    if (!normalized) return make_error("invalid_payload", "Entity._info.lastUpdated: not an RFC 3339 time");
    version = *normalized;
  }
  (void)tenant;
  Change change{*type, *id, *action, std::move(version), std::string(body)};
  change.body_is_json = true;  // parsed whole above
  return std::vector<Change>{std::move(change)};
}

}  // namespace switchyard::connectors::connectwise
