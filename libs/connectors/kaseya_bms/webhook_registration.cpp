// Registering BMS webhooks through the API (docs/psa/kaseya-bms.md, "Webhooks"):
//   POST /v2/admin/webhooks/search {"Filter": {"Name": "Switchyard"}}  → Switchyard's own
//   POST /v2/admin/webhooks {"Name", "PayloadURL", "IsEnabled", "SendAllEvents", "Events": []}
//   PUT /v2/admin/webhooks/{id} (a new URL, after the URL secret rotated), DELETE .../{id}
// Switchyard's own webhooks are those named "Switchyard" whose URL is this tenant's webhook
// URL, with or without a URL secret; other tools' webhooks are never touched. The callback URL
// carries the tenant's URL secret (ingest adds it), so it is never logged and never put in an
// error message. Idempotent: an enabled webhook of exactly that URL is kept as it is.
#include "common/json_writer.h"
#include "connectors/kaseya_bms/kaseya_bms_connector.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_bms {
namespace {

using kaseya_v2::Answer;

constexpr std::string_view kPermission = "Admin > Webhooks";

struct Existing {
  std::string id;
  std::string url;
  bool enabled = false;
};

// ".../v1/webhooks/<psa>/<tenant>" of a callback URL: what every URL of this tenant starts with,
// whatever its secret.
std::string stem_of(const std::string& callback_url) {
  const size_t at = callback_url.find("/v1/webhooks/");
  if (at == std::string::npos) return callback_url;
  size_t end = callback_url.find('/', at + 13);                        // after <psa>
  if (end != std::string::npos) end = callback_url.find('/', end + 1);  // after <tenant>
  return callback_url.substr(0, end);
}

bool of_tenant(const std::string& url, const std::string& stem) {
  return url.starts_with(stem) && (url.size() == stem.size() || url[stem.size()] == '/');
}

// Switchyard's webhooks for this tenant; the search's filter is not trusted to match exactly.
Result<std::vector<Existing>> find(const kaseya_v2::Flavor& flavor, const Tenant& tenant, PsaHttp& http,
                                   const std::string& callback_url) {
  JsonWriter w;
  w.begin_object().field("PageNumber", int64_t{1}).field("PageSize", int64_t{100});
  w.key("Filter").begin_object().field("Name", kWebhookName).end_object().end_object();
  auto response = http.send({.method = "POST",
                             .url = kaseya_v2::api_url(tenant, "admin/webhooks/search"),
                             .headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}},
                             .body = w.take()});
  if (!response) return response.error();
  simdjson::dom::parser parser;
  const Answer answer = kaseya_v2::read_answer(parser, *response, flavor, "listing webhooks", kPermission);
  if (!answer.ok) return make_error("psa_error", answer.detail);
  simdjson::dom::array list;
  if (answer.result.get(list) != simdjson::SUCCESS) return make_error("invalid_payload", "the webhook list is not a list");
  const std::string stem = stem_of(callback_url);
  std::vector<Existing> out;
  for (simdjson::dom::element item : list) {
    simdjson::dom::object hook;
    if (item.get(hook) != simdjson::SUCCESS) continue;
    const auto url = kaseya_v2::text(hook, "PayloadUrl");
    const auto id = kaseya_v2::id_text(hook, "Id");
    if (kaseya_v2::text(hook, "Name") != kWebhookName || !url || !id || !of_tenant(*url, stem)) continue;
    out.push_back({*id, *url, kaseya_v2::flag(hook, "IsEnabled").value_or(false)});
  }
  return out;
}

}  // namespace

Result<WebhookRegistration> KaseyaBmsConnector::register_webhooks(const Tenant& tenant, PsaHttp& http,
                                                                  const std::string& callback_url) const {
  auto existing = find(flavor(), tenant, http, callback_url);
  if (!existing) return existing.error();
  WebhookRegistration registration;
  for (const Existing& e : *existing) {
    if (e.enabled && e.url == callback_url) {
      registration.ids.push_back(e.id);
      return registration;  // already there: nothing changed
    }
  }
  JsonWriter w;
  w.begin_object().field("Name", kWebhookName).field("PayloadURL", callback_url).field("IsEnabled", true);
  // Every event: the Events list's ids come from the instance's lookup, and ticket events are
  // all the connector reads.
  w.field("SendAllEvents", true).key("Events").begin_array().end_array().end_object();
  // A webhook of an older URL (the secret rotated) is moved; otherwise one is made.
  const bool move = !existing->empty();
  std::string path = "admin/webhooks";
  if (move) path.append("/").append(existing->front().id);
  auto response = http.send({.method = move ? "PUT" : "POST",
                             .url = kaseya_v2::api_url(tenant, path),
                             .headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}},
                             .body = w.take()});
  if (!response) return response.error();
  simdjson::dom::parser parser;
  const Answer answer = kaseya_v2::read_answer(parser, *response, flavor(), "registering the webhook", kPermission);
  if (!answer.ok) return make_error("psa_error", answer.detail);
  std::optional<std::string> id;
  if (move) {
    id = existing->front().id;
  } else if (simdjson::dom::object made; answer.result.get(made) == simdjson::SUCCESS) {
    id = kaseya_v2::id_text(made, "Id");
  }
  if (!id) return make_error("invalid_payload", "Kaseya BMS registered the webhook but its answer has no Id");
  registration.ids.push_back(*id);
  registration.changed = true;
  return registration;
}

Status KaseyaBmsConnector::unregister_webhooks(const Tenant& tenant, PsaHttp& http,
                                               const std::string& callback_url) const {
  auto existing = find(flavor(), tenant, http, callback_url);
  if (!existing) return existing.error();
  simdjson::dom::parser parser;
  for (const Existing& e : *existing) {
    if (e.url != callback_url) continue;  // only what was registered at this URL
    std::string path = "admin/webhooks/";
    path.append(e.id);
    auto response = http.send({.method = "DELETE", .url = kaseya_v2::api_url(tenant, path),
                               .headers = {{"Accept", "application/json"}}});
    if (!response) return response.error();
    const Answer answer = kaseya_v2::read_answer(parser, *response, flavor(), "removing the webhook", kPermission);
    if (!answer.ok && answer.code != 404) return make_error("psa_error", answer.detail);
  }
  return ok_status();
}

}  // namespace switchyard::connectors::kaseya_bms
