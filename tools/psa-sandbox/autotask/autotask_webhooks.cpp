#include "psa-sandbox/autotask/autotask_webhooks.h"

#include <algorithm>

#include "common/crypto.h"
#include "psa-sandbox/signing.h"

namespace switchyard::sandbox {
namespace {

// An entity Autotask sends webhooks for (Autotask REST API, "<EntityName>Webhooks (REST API)"),
// and the field a partial callout of it carries.
struct Hooked {
  std::string_view rest;          // "Tickets"
  std::string_view webhooks;      // "TicketWebhooks"
  std::string_view fields;        // "TicketWebhookFields"
  std::string_view payload_name;  // EntityType: "Ticket"
  std::string_view canonical;     // how tests name it: "ticket"
  std::string_view changed;       // the one field of a partial callout
};

const std::vector<Hooked>& hooked() {
  static const std::vector<Hooked> k = {
      {"Tickets", "TicketWebhooks", "TicketWebhookFields", "Ticket", "ticket", "status"},
      {"Companies", "CompanyWebhooks", "CompanyWebhookFields", "Company", "company", "phone"},
      {"Contacts", "ContactWebhooks", "ContactWebhookFields", "Contact", "contact", "phone"},
      {"ConfigurationItems", "ConfigurationItemWebhooks", "ConfigurationItemWebhookFields", "ConfigurationItem",
       "configuration", "serialNumber"},
  };
  return k;
}

const Hooked* hooked_by(std::string_view name) {
  for (const auto& h : hooked()) {
    if (iequals(name, h.canonical) || iequals(name, h.rest)) return &h;
  }
  return nullptr;
}

// The fieldID picklist: the record entity's fields, numbered from 1 in the model's order.
std::vector<AtPicklistValue> field_ids(std::string_view rest) {
  std::vector<AtPicklistValue> out;
  int n = 0;
  for (const auto& f : autotask_fields(rest)) {
    ++n;
    if (f.name != "id") out.push_back({n, f.name});
  }
  return out;
}

std::string_view field_name(std::string_view rest, int64_t field_id) {
  const auto& fields = autotask_fields(rest);
  return field_id >= 1 && field_id <= static_cast<int64_t>(fields.size()) ? fields[field_id - 1].name
                                                                           : std::string_view{};
}

// The entity's registered webhook (an active one first), or nullptr.
const std::pair<const int64_t, Value>* registered(Store& store, const Hooked& h) {
  const AtEntity* e = at_entity(h.webhooks);
  const std::pair<const int64_t, Value>* found = nullptr;
  for (const auto& entry : store.collection(at_store_key(*e))) {
    const Value* active = entry.second.find("isActive");
    if (active && active->is_bool() && active->as_bool()) return &entry;
    if (!found) found = &entry;
  }
  return found;
}

}  // namespace

std::vector<AtEntity> with_webhook_entities(std::vector<AtEntity> entities) {
  for (const auto& h : hooked()) {
    entities.push_back(AtEntity{h.webhooks, h.webhooks.substr(0, h.webhooks.size() - 1), true, "", "", "", false,
                                {"name", "webhookUrl", "deactivationUrl"},
                                {{"name", 50}, {"secretKey", 64}, {"webhookUrl", 500}, {"deactivationUrl", 500}},
                                {},
                                {},
                                "",
                                {}});
    entities.push_back(AtEntity{h.fields, h.fields.substr(0, h.fields.size() - 1), false, h.webhooks, "Fields",
                                "webhookID", true, {"webhookID", "fieldID"}, {},
                                {AtPicklist{"fieldID", field_ids(h.rest)}},
                                {AtReference{"webhookID", h.webhooks}},
                                "",
                                {}});
  }
  return entities;
}

const std::vector<AutotaskField>* at_webhook_fields(std::string_view entity) {
  // Autotask REST API, <EntityName>Webhooks and <EntityName>WebhookFields entities.
  static const std::vector<AutotaskField> kWebhook = {
      {"id", "long"}, {"deactivationUrl", "string"}, {"isActive", "boolean"}, {"isReady", "boolean"},
      {"isSubscribedToCreateEvents", "boolean"}, {"isSubscribedToDeleteEvents", "boolean"},
      {"isSubscribedToUpdateEvents", "boolean"}, {"name", "string"}, {"notificationEmailAddress", "string"},
      {"ownerResourceID", "integer"}, {"secretKey", "string"}, {"sendThresholdExceededNotification", "boolean"},
      {"webhookGUID", "string"}, {"webhookUrl", "string"},
  };
  static const std::vector<AutotaskField> kField = {
      {"id", "long"}, {"fieldID", "integer"}, {"isDisplayAlwaysField", "boolean"}, {"isSubscribedField", "boolean"},
      {"webhookID", "long"},
  };
  for (const auto& h : hooked()) {
    if (entity == h.webhooks) return &kWebhook;
    if (entity == h.fields) return &kField;
  }
  return nullptr;
}

std::string_view at_webhooks_of(std::string_view entity) {
  const Hooked* h = hooked_by(entity);
  return h ? h->webhooks : std::string_view{};
}

Result<WebhookMessage> build_autotask_webhook(Store& store, const AutotaskCredentials& credentials,
                                              const WebhookEvent& event) {
  const Hooked* h = hooked_by(event.entity);
  if (h == nullptr) return make_error("invalid_argument", "autotask sends webhooks for ticket, company, contact, configuration");
  std::string_view action;
  if (event.action == "created" || event.action == "added") action = "Create";
  else if (event.action == "updated" || event.action == "updated_partial") action = "Update";
  else if (event.action == "deleted") action = "Delete";
  else if (event.action == "deactivated") action = "Deactivated";
  else return make_error("invalid_argument", "action: created, updated, updated_partial, deleted or deactivated");
  const auto id = parse_int(event.id);
  if (!id) return make_error("invalid_argument", "id: an integer");

  const auto* hook = registered(store, *h);
  std::string secret = credentials.webhook_secret;
  if (hook) {
    const Value* key = hook->second.find("secretKey");
    if (key && key->is_string() && !key->as_string().empty()) secret = key->as_string();
  }
  Value::Object payload{{"Action", action}, {"Guid", random_guid()}, {"EntityType", h->payload_name}};
  if (action == "Deactivated") {
    // About the webhook, not a record: its id.
    payload.emplace_back("Id", hook ? hook->first : int64_t{0});
  } else {
    payload.emplace_back("Id", *id);
    Value::Object fields;
    if (action != "Delete") {
      const Value* record = store.find(at_store_key(*at_entity(h->rest)), *id);
      if (record == nullptr) return make_error("not_found", std::string(h->rest) + " " + event.id + " does not exist");
      if (event.action == "updated_partial") {
        const Value* changed = record->find(h->changed);
        fields.emplace_back(std::string(h->changed), changed ? *changed : Value(nullptr));
      } else {
        // The registered fields (every one is display always), else the whole record.
        std::vector<std::string_view> names;
        if (hook) {
          for (const auto& [fid, f] : store.collection(at_store_key(*at_entity(h->fields)))) {
            const Value* parent = f.find("webhookID");
            const Value* field = f.find("fieldID");
            if (parent && parent->is_int() && parent->as_int() == hook->first && field && field->is_int()) {
              names.push_back(field_name(h->rest, field->as_int()));
            }
          }
        }
        for (const auto& [k, v] : record->as_object()) {
          if (k == "id" || k == "userDefinedFields") continue;
          if (!names.empty() && std::find(names.begin(), names.end(), k) == names.end()) continue;
          fields.emplace_back(k, v);
        }
      }
    }
    payload.emplace_back("Fields", Value(std::move(fields)));
  }
  payload.emplace_back("EventTime", at_now());
  payload.emplace_back("SequenceNumber", store.next_sequence("autotask-webhook"));
  payload.emplace_back("PersonID", int64_t{4});
  std::string body = Value(std::move(payload)).dump();
  // X-Hook-Signature: sha1=base64(HMAC-SHA1(SecretKey, body)) (docs/psa/autotask.md#4-webhooks).
  std::string signature = "sha1=" + crypto::base64_encode(crypto::hmac_sha1(secret, body));
  return WebhookMessage{std::move(body), {{"X-Hook-Signature", std::move(signature)}}};
}

}  // namespace switchyard::sandbox
