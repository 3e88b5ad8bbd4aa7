// Autotask in: webhook signature and decoding (docs/psa/autotask.md), and the mapping of
// tickets and companies to canonical v1.1. QueryModel polling is in poller.cpp.
#include <simdjson.h>

#include "common/crypto.h"
#include "common/json_read.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/custom_fields.h"

namespace switchyard::connectors::autotask {
namespace {

using simdjson::dom::object;

std::string_view canonical_type_of(std::string_view entity_type) {
  if (entity_type == "Ticket" || entity_type == "Tickets") return "ticket";
  if (entity_type == "Company" || entity_type == "Companies") return "company";
  return {};
}

// Autotask sends ids and picklist values as numbers; canonical keeps them as strings.
std::optional<std::string> text_of(object obj, std::string_view key) {
  simdjson::dom::element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t n;
  if (v.get(n) == simdjson::SUCCESS) return std::to_string(n);
  return std::nullopt;
}

// Canonical timestamps: RFC 3339 UTC, seconds.
std::optional<std::string> time_of(object obj, std::string_view key) {
  auto text = text_of(obj, key);
  if (!text) return std::nullopt;
  auto normalized = normalize_rfc3339(*text);
  return normalized ? std::optional<std::string>(*normalized) : std::nullopt;
}

// A change's version keeps milliseconds: Autotask stamps changes to the millisecond, and two
// updates in one second are two changes (their versions, hence idempotency keys, must differ).
std::optional<std::string> version_of(object obj) {
  auto text = text_of(obj, "lastActivityDate");
  if (!text) return std::nullopt;
  auto parsed = parse_rfc3339(*text);
  return parsed ? std::optional<std::string>(format_rfc3339_utc(*parsed)) : std::nullopt;
}

// userDefinedFields: [{"name": "Region", "value": "EU"}, ...] → custom_fields, JSON types kept.
void read_user_defined_fields(object r, canonical::RecordBase& base) {
  simdjson::dom::array fields;
  if (r["userDefinedFields"].get(fields) == simdjson::SUCCESS) read_custom_fields(fields, "name", base.custom_fields);
}

std::optional<canonical::Ref> ref_of(object obj, std::string_view key) {
  auto id = text_of(obj, key);
  if (!id) return std::nullopt;
  if (*id == "0" && key != "companyID") return std::nullopt;  // 0 means "none", except Autotask's own company
  return canonical::Ref{*id, std::nullopt};
}

// address1, address2, city, state, postalCode, countryID: the company's address. Autotask sends
// the country as its own id (a Countries entity), published as is.
std::optional<canonical::Address> address_of(object r) {
  canonical::Address a;
  for (std::string_view key : {"address1", "address2"}) {
    auto line = text_of(r, key);
    if (line && !line->empty()) a.street_lines.push_back(*line);
  }
  a.city = text_of(r, "city");
  a.region = text_of(r, "state");
  a.postal_code = text_of(r, "postalCode");
  if (auto country = ref_of(r, "countryID")) a.country = country->id;
  if (a.empty()) return std::nullopt;
  return a;
}

}  // namespace

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

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object r,
                                     const MappingLookup& mappings) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = text_of(r, "id");
  if (!id) return json::missing_field("id");
  base.source = canonical::SourceRef{"autotask", std::string(entity_of(type)), *id};
  base.updated_at = time_of(r, "lastActivityDate").value_or(time_of(r, "createDate").value_or(""));
  if (base.updated_at.empty()) return json::missing_field("lastActivityDate");
  read_user_defined_fields(r, base);
  if (type == "ticket") {
    auto t = canonical::with_base<canonical::Ticket>(std::move(base));
    t.title = text_of(r, "title").value_or("");
    t.description = text_of(r, "description");
    t.status = text_of(r, "status");
    t.priority = text_of(r, "priority");
    t.board = ref_of(r, "queueID");
    t.company = ref_of(r, "companyID");
    t.contact = ref_of(r, "contactID");
    t.external_ref = text_of(r, "externalID");
    t.created_at = time_of(r, "createDate");
    t.closed_at = time_of(r, "completedDate");
    t.closed = t.closed_at.has_value();
    // Picklist values: the id is all the record carries, so label and id are the same text.
    t.status_id = t.status;
    t.priority_id = t.priority;
    t.type = text_of(r, "ticketType");
    t.type_id = t.type;
    return canonical::Record{std::move(t)};
  }
  if (type == "company") {
    auto c = canonical::with_base<canonical::Company>(std::move(base));
    c.name = text_of(r, "companyName").value_or("");
    c.identifier = text_of(r, "companyNumber");
    bool active = true;
    if (r["isActive"].get(active) != simdjson::SUCCESS) active = true;
    c.active = active;
    c.phone = text_of(r, "phone");
    c.website = text_of(r, "webAddress");
    c.parent = ref_of(r, "parentCompanyID");
    if (auto type_id = text_of(r, "companyType")) {
      c.types.push_back(*type_id);
      c.type_ids.push_back(*type_id);
      c.classification = mappings.resolve("company_classification", *type_id);
    }
    if (auto address = address_of(r)) c.addresses.push_back(std::move(*address));
    return canonical::Record{std::move(c)};
  }
  return make_error("unsupported_entity", "autotask: no mapping for entity \"" + std::string(type) + "\"");
}

Result<canonical::Record> AutotaskConnector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                              const MappingLookup& mappings) const {
  // Checked first: a deletion maps without looking at the body, and must not turn an envelope
  // of another type (any producer can write to the raw topic) into a ticket.
  if (e.entity != "ticket" && e.entity != "company") {
    return make_error("unsupported_entity", "autotask: no mapping for entity \"" + e.entity + "\"");
  }
  simdjson::dom::element root;
  object obj;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "body: must be a JSON object");
  }
  if (is_polled(e)) return map_record(e.tenant, e.entity, obj, mappings);
  // Webhook: Fields holds the changed and "display always" fields; the id is outside them.
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

std::optional<std::string> record_id_text(object record) { return text_of(record, "id"); }

std::optional<std::string> record_version(object record) { return version_of(record); }

}  // namespace switchyard::connectors::autotask
