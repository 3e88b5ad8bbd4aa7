// HaloPSA webhooks: verification and decoding (docs/psa/halopsa.md, "Webhooks").
//  - HMAC: Halo signs with the header and prefix set on the webhook (authentication_header,
//    signature_prefix); the connector reads them from options webhook_signature_header
//    (default X-Halo-Signature) and webhook_signature_prefix (default none), and accepts
//    HMAC-SHA256 of the raw body in hex or base64 under any of the tenant's signing secrets.
//  - Basic: a signing secret written "username:password" matches Authorization: Basic.
//  - Neither configured: ingest has checked the URL secret already, which is the whole check.
// The body is the record Halo sends (the default payload). Which record type it is follows from
// its change field, which every type names differently (Faults.last_update, Area.alastupdate,
// Users.ulastupdate, Device.dlastupdate); its version is that change time, as a poll reads it.
#include <simdjson.h>

#include "common/crypto.h"
#include "common/hmac.h"
#include "common/json_read.h"
#include "connectors/halopsa/halopsa_connector.h"

namespace switchyard::connectors::halopsa {
namespace {

constexpr std::string_view kDefaultSignatureHeader = "X-Halo-Signature";
constexpr size_t kMaxSignature = 256;  // a hex or base64 SHA-256 with any prefix is far shorter

std::string option_or(const Tenant& tenant, const std::string& name, std::string_view fallback) {
  const auto it = tenant.options.find(name);
  return it == tenant.options.end() || it->second.empty() ? std::string(fallback) : it->second;
}

bool hmac_matches(const Tenant& tenant, const WebhookRequest& request) {
  const std::string header = option_or(tenant, "webhook_signature_header", kDefaultSignatureHeader);
  std::string_view signature = http::find_header(request.headers, header);
  if (signature.empty() || signature.size() > kMaxSignature) return false;
  const std::string prefix = option_or(tenant, "webhook_signature_prefix", "");
  if (!prefix.empty()) {
    if (!signature.starts_with(prefix)) return false;
    signature.remove_prefix(prefix.size());
  }
  for (const auto& secret : tenant.webhook_signing_secrets) {
    const std::string mac =
        crypto::cached_hmac(crypto::HmacDigest::sha256, crypto::HmacKeyFrom::secret, secret, request.body);
    if (crypto::constant_time_equal(signature, crypto::hex_encode(mac)) ||
        crypto::constant_time_equal(signature, crypto::base64_encode(mac))) {
      return true;
    }
  }
  return false;
}

bool basic_matches(const Tenant& tenant, const WebhookRequest& request) {
  const std::string_view authorization = http::find_header(request.headers, "Authorization");
  if (authorization.empty() || authorization.size() > kMaxSignature * 4) return false;
  bool matched = false;
  for (const auto& secret : tenant.webhook_signing_secrets) {
    if (secret.find(':') == std::string::npos) continue;
    std::string expected = "Basic ";
    expected.append(crypto::base64_encode(secret));
    matched = crypto::constant_time_equal(authorization, expected) || matched;
  }
  return matched;
}

// The canonical type of a Halo record, by the change field only that type has.
const char* type_of(simdjson::dom::object record) {
  for (const char* type : {"ticket", "company", "contact", "configuration"}) {
    if (!record[resource_of(type)->change_field].error()) return type;
  }
  return nullptr;
}

}  // namespace

Status HaloConnector::verify_webhook(const Tenant& tenant, const WebhookRequest& request) const {
  if (tenant.webhook_signing_secrets.empty()) return ok_status();  // the URL secret (checked by ingest)
  if (hmac_matches(tenant, request) || basic_matches(tenant, request)) return ok_status();
  return make_error("bad_signature", "the webhook carries no signature or basic credentials matching the tenant's");
}

Result<std::vector<Change>> HaloConnector::decode_webhook(const Tenant&, std::string_view body) const {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_json", "body is not valid JSON");
  }
  simdjson::dom::object record;
  if (root.get(record) != simdjson::SUCCESS) return make_error("invalid_payload", "webhook body must be a JSON object");
  const char* type = type_of(record);
  if (!type) {
    return make_error("unsupported_entity",
                      "the webhook is not a ticket, client, user or asset (none of last_update, alastupdate, "
                      "ulastupdate, dlastupdate)");
  }
  const Resource& resource = *resource_of(type);
  auto id = json::required_id(record, "id", "");
  if (!id) return id.error();
  auto changed = json::required_string(record, resource.change_field, "");
  if (!changed) return changed.error();
  const auto version = halo_time(*changed);
  if (!version) return json::invalid_field(resource.change_field, "not a date-time");
  // Halo's default payload does not say whether the record is new: every change is an update
  // (normalize publishes both as "upserted").
  return std::vector<Change>{Change{type, *id, "updated", *version, std::string(simdjson::minify(root))}};
}

}  // namespace switchyard::connectors::halopsa
