// Registering the tenant's webhooks through the *Webhooks entities (CompanyWebhooks,
// ContactWebhooks, TicketWebhooks, ConfigurationItemWebhooks): one per entity, named
// "Switchyard <tenant>", posting to the callback URL (also its DeactivationUrl, so a
// "Deactivated" notice reaches ingest), signed with the tenant's newest webhook signing secret,
// and sending every mapped field as a subscribed, "display always" field, so a callout carries
// the whole mapped record. Ours are found by name or URL first, so a second run changes nothing
// and the MSP's other webhooks are never touched (docs/psa/autotask.md#4-webhooks).
#include <simdjson.h>

#include <algorithm>
#include <map>

#include "common/json_writer.h"
#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/webhook_entities.h"
#include "connectors/autotask/write_calls.h"
#include "connectors/autotask/zone.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr size_t kNameMax = 50;       // Name: string (50)
constexpr size_t kSecretKeyMax = 64;  // SecretKey: string (64)
constexpr size_t kUrlMax = 500;       // WebhookUrl, DeactivationUrl: string (500)

struct Existing {
  std::string id;
  std::string url, deactivation_url;
  std::optional<std::string> secret;  // when Autotask returns it
  bool active = false, creates = false, updates = false, deletes = false;
};

std::string name_of(const Tenant& tenant) { return std::string("Switchyard ").append(tenant.id).substr(0, kNameMax); }

// "TicketWebhooks" → "TicketWebhookFields": the entity of its Fields children.
std::string fields_entity(std::string_view webhooks_name) {
  std::string out(webhooks_name.substr(0, webhooks_name.size() - 1));
  return out.append("Fields");
}

Error failed(std::string_view what, const Result<http::ClientResponse>& r) {
  if (!r) return r.error();
  std::string message = "Autotask answered " + std::to_string(r->status) + " to ";
  message.append(what);
  if (r->status == 401 || r->status == 403) {
    message.append(": the API user's security level must allow webhooks (Admin › Account Settings & Users › "
                   "Security Levels › Web Services API)");
    return make_error("forbidden", message);
  }
  return make_error("psa_error", message);
}

Result<http::ClientResponse> call(PsaHttp& http, const Tenant& tenant, std::string method, const std::string& path,
                                  std::string body = {}) {
  return http.send({.method = std::move(method), .url = tenant.base_url + path, .headers = auth_headers(tenant),
                    .body = std::move(body)});
}

bool ok(const Result<http::ClientResponse>& r) { return r && r->status >= 200 && r->status < 300; }

// Our webhook of this entity: named as ours, or posting to the callback URL (made by hand).
Result<std::optional<Existing>> find_ours(PsaHttp& http, const Tenant& tenant, const WebhookEntity& e,
                                          const std::string& callback_url) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", 500).key("Filter").begin_array();
  q.begin_object().field("op", "or").key("items").begin_array();
  q.begin_object().field("op", "eq").field("field", "name").field("value", name_of(tenant)).end_object();
  if (!callback_url.empty()) {
    q.begin_object().field("op", "eq").field("field", "webhookUrl").field("value", callback_url).end_object();
  }
  q.end_array().end_object().end_array().end_object();
  const std::string path = "/V1.0/" + std::string(e.webhooks_name) + "/query";
  auto r = call(http, tenant, "POST", path, q.take());
  if (!ok(r)) return failed("POST " + path, r);
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(r->body)["items"].get(items) != simdjson::SUCCESS) {
    return make_error("psa_error", "Autotask's answer to POST " + path + " has no items");
  }
  for (simdjson::dom::element item : items) {
    int64_t id = 0;
    if (item["id"].get(id) != simdjson::SUCCESS) continue;
    Existing found;
    found.id = std::to_string(id);
    std::string_view text;
    if (item["webhookUrl"].get(text) == simdjson::SUCCESS) found.url = std::string(text);
    if (item["deactivationUrl"].get(text) == simdjson::SUCCESS) found.deactivation_url = std::string(text);
    if (item["secretKey"].get(text) == simdjson::SUCCESS) found.secret = std::string(text);
    const auto flag = [&](const char* key) {
      bool b = false;
      return item[key].get(b) == simdjson::SUCCESS && b;
    };
    found.active = flag("isActive");
    found.creates = flag("isSubscribedToCreateEvents");
    found.updates = flag("isSubscribedToUpdateEvents");
    found.deletes = flag("isSubscribedToDeleteEvents");
    return std::optional<Existing>(std::move(found));
  }
  return std::optional<Existing>{};
}

// Field name (lower case) → Autotask's field id, from the fieldID picklist of
// GET /V1.0/{Entity}WebhookFields/entityInformation/fields.
Result<std::map<std::string, int64_t>> field_ids(PsaHttp& http, const Tenant& tenant, const WebhookEntity& e) {
  const std::string path = "/V1.0/" + fields_entity(e.webhooks_name) + "/entityInformation/fields";
  auto r = call(http, tenant, "GET", path);
  if (!ok(r)) return failed("GET " + path, r);
  simdjson::dom::parser parser;
  simdjson::dom::array fields;
  if (parser.parse(r->body)["fields"].get(fields) != simdjson::SUCCESS) {
    return make_error("psa_error", "Autotask's answer to GET " + path + " has no fields");
  }
  std::map<std::string, int64_t> ids;
  for (simdjson::dom::element f : fields) {
    std::string_view name;
    simdjson::dom::array values;
    if (f["name"].get(name) != simdjson::SUCCESS || ascii_lowercase(name) != "fieldid") continue;
    if (f["picklistValues"].get(values) != simdjson::SUCCESS) break;
    for (simdjson::dom::element v : values) {
      std::string_view label, value;
      int64_t id = 0;
      if (v["label"].get(label) != simdjson::SUCCESS) continue;
      if (v["value"].get(value) == simdjson::SUCCESS) {
        if (!is_numeric_id(value)) continue;
        id = std::stoll(std::string(value));
      } else if (v["value"].get(id) != simdjson::SUCCESS) {
        continue;
      }
      ids.emplace(ascii_lowercase(label), id);
    }
  }
  return ids;
}

// Adds the fields the webhook does not send yet (subscribed and display always).
Result<bool> add_fields(PsaHttp& http, const Tenant& tenant, const WebhookEntity& e, const std::string& webhook_id,
                        const std::map<std::string, int64_t>& ids) {
  const std::string base = "/V1.0/" + std::string(e.webhooks_name) + "/" + webhook_id + "/Fields";
  auto r = call(http, tenant, "GET", base);
  if (!ok(r)) return failed("GET " + base, r);
  std::vector<int64_t> present;
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(r->body)["items"].get(items) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : items) {
      int64_t field = 0;
      if (item["fieldID"].get(field) == simdjson::SUCCESS) present.push_back(field);
    }
  }
  bool changed = false;
  for (std::string_view name : e.fields) {
    const auto id = ids.find(ascii_lowercase(name));
    if (id == ids.end()) continue;  // not a webhook field on this instance
    if (std::find(present.begin(), present.end(), id->second) != present.end()) continue;
    JsonWriter body;
    body.begin_object();
    write_id(body, "webhookID", webhook_id);
    body.field("fieldID", id->second)
        .field("isSubscribedField", true)
        .field("isDisplayAlwaysField", true)
        .end_object();
    auto added = call(http, tenant, "POST", base, body.take());
    if (!ok(added)) return failed("POST " + base, added);
    changed = true;
  }
  return changed;
}

}  // namespace

Result<WebhookRegistration> AutotaskConnector::register_webhooks(const Tenant& tenant, PsaHttp& psa,
                                                                 const std::string& callback_url) const {
  ZoneHttp http(tenant, psa);  // to the tenant's zone (zone.h)
  if (tenant.webhook_signing_secrets.empty()) {
    return make_error("no_webhook_secret",
                      "the tenant has no webhook_signing_secrets: Autotask signs each webhook with its SecretKey, "
                      "so set one (at most 64 characters) before registering");
  }
  const std::string& secret = tenant.webhook_signing_secrets.back();  // the newest
  if (secret.size() > kSecretKeyMax) {
    return make_error("invalid_webhook_secret", "Autotask's SecretKey holds at most 64 characters: use a shorter "
                                                "webhook signing secret for this tenant");
  }
  if (callback_url.size() > kUrlMax) {
    return make_error("invalid_callback_url", "Autotask's WebhookUrl holds at most 500 characters");
  }
  WebhookRegistration out;
  for (const WebhookEntity& e : webhook_entities()) {
    auto ours = find_ours(http, tenant, e, callback_url);
    if (!ours) return ours.error();
    auto ids = field_ids(http, tenant, e);
    if (!ids) return ids.error();
    const std::string base = "/V1.0/" + std::string(e.webhooks_name);
    std::string id;
    if (!*ours) {
      // Made inactive, completed with its fields, then switched on: it never posts half set up.
      JsonWriter body;
      body.begin_object()
          .field("name", name_of(tenant))
          .field("webhookUrl", callback_url)
          .field("deactivationUrl", callback_url)
          .field("secretKey", secret)
          .field("isActive", false)
          .field("isSubscribedToCreateEvents", true)
          .field("isSubscribedToUpdateEvents", true)
          .field("isSubscribedToDeleteEvents", true)
          .field("sendThresholdExceededNotification", true)
          .end_object();
      auto made = call(http, tenant, "POST", base, body.take());
      if (!ok(made)) return failed("POST " + base, made);
      auto new_id = item_id_of(*made);
      if (!new_id) return new_id.error();
      if (!is_numeric_id(*new_id)) return make_error("psa_error", "Autotask's new webhook has no numeric id");
      id = *new_id;
      out.changed = true;
    } else {
      id = (*ours)->id;
    }
    auto added = add_fields(http, tenant, e, id, *ids);
    if (!added) return added.error();
    out.changed = out.changed || *added;
    const Existing* found = *ours ? &**ours : nullptr;
    const bool as_asked = found != nullptr && found->url == callback_url && found->deactivation_url == callback_url &&
                          (!found->secret || *found->secret == secret) && found->active && found->creates &&
                          found->updates && found->deletes;
    if (!as_asked) {
      // New, moved (a rotated URL secret), a rotated signing secret, or switched off: set right.
      JsonWriter patch;
      patch.begin_object();
      write_id(patch, "id", id);
      patch.field("webhookUrl", callback_url)
          .field("deactivationUrl", callback_url)
          .field("secretKey", secret)
          .field("isActive", true)
          .field("isSubscribedToCreateEvents", true)
          .field("isSubscribedToUpdateEvents", true)
          .field("isSubscribedToDeleteEvents", true)
          .end_object();
      auto patched = call(http, tenant, "PATCH", base, patch.take());
      if (!ok(patched)) return failed("PATCH " + base, patched);
      out.changed = true;
    }
    out.ids.push_back(std::string(e.webhooks_name).append("/").append(id));
  }
  return out;
}

Status AutotaskConnector::unregister_webhooks(const Tenant& tenant, PsaHttp& psa,
                                              const std::string& callback_url) const {
  ZoneHttp http(tenant, psa);  // to the tenant's zone (zone.h)
  for (const WebhookEntity& e : webhook_entities()) {
    auto ours = find_ours(http, tenant, e, callback_url);
    if (!ours) return ours.error();
    if (!*ours) continue;
    const std::string path = "/V1.0/" + std::string(e.webhooks_name) + "/" + (*ours)->id;
    auto r = call(http, tenant, "DELETE", path);
    // Gone already (another run got there first) is what was asked for.
    if (!ok(r) && !(r && r->status == 404)) return failed("DELETE " + path, r);
  }
  return ok_status();
}

}  // namespace switchyard::connectors::autotask
