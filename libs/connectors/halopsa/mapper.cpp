// HaloPSA records → canonical v1.2. Field names: docs/psa/halopsa.md (the Halo API v2 schemas
// Faults, Area, Users, Device, ContractHeader and Site).
#include "common/billing_period.h"
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/halopsa/halopsa_connector.h"

namespace switchyard::connectors::halopsa {
namespace {

using simdjson::dom::object;

#define SY_TRY_ASSIGN(target, expr)           \
  do {                                        \
    auto sy_result = (expr);                  \
    if (!sy_result) return sy_result.error(); \
    target = std::move(*sy_result);           \
  } while (0)

Result<std::optional<std::string>> time_of(object obj, std::string_view key) {
  auto text = json::optional_string(obj, key, "");
  if (!text || !*text || (*text)->empty()) return std::optional<std::string>{};
  auto normalized = halo_time(**text);
  if (!normalized) return json::invalid_field(key, "not a date-time");
  return std::optional<std::string>{*normalized};
}

// "2027-03-01T00:00:00" → "2027-03-01": the date as written.
Result<std::optional<std::string>> date_of(object obj, std::string_view key) {
  auto text = json::optional_string(obj, key, "");
  if (!text || !*text || (*text)->empty()) return std::optional<std::string>{};
  const std::string date = (*text)->substr(0, 10);
  if (!is_valid_date(date)) return json::invalid_field(key, "not a date");
  return std::optional<std::string>{date};
}

// Halo's flat references: "client_id": 12, "client_name": "Acme" → Ref; no id → nullopt.
Result<std::optional<canonical::Ref>> ref_of(object obj, std::string_view id_key, std::string_view name_key) {
  auto id = json::optional_id(obj, id_key, "");
  if (!id) return id.error();
  // Halo uses 0 (and -1) for "none" in its integer references.
  if (!*id || **id == "0" || **id == "-1") return std::optional<canonical::Ref>{};
  auto name = json::optional_string(obj, name_key, "");
  if (!name) return name.error();
  return std::optional<canonical::Ref>{canonical::Ref{**id, *name}};
}

// Appends a non-empty, not yet listed string member; absent, null or "" adds nothing.
Status add_text(object obj, std::string_view key, std::vector<std::string>& out) {
  auto text = json::optional_string(obj, key, "");
  if (!text) return text.error();
  if (*text && !(*text)->empty() && std::ranges::find(out, **text) == out.end()) out.push_back(**text);
  return ok_status();
}

Result<canonical::RecordBase> base_of(std::string_view tenant_id, const Resource& resource, object record) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = json::required_id(record, "id", "");
  if (!id) return id.error();
  base.source = canonical::SourceRef{"halopsa", std::string(resource.path), *id};
  auto updated = time_of(record, resource.change_field);
  if (!updated) return updated.error();
  if (!*updated) return json::missing_field(resource.change_field);
  base.updated_at = **updated;
  return base;
}

Result<canonical::Record> map_ticket(canonical::RecordBase base, object r) {
  auto t = canonical::with_base<canonical::Ticket>(std::move(base));
  SY_TRY_ASSIGN(t.title, json::required_string(r, "summary", ""));
  SY_TRY_ASSIGN(t.description, json::optional_string(r, "details", ""));
  SY_TRY_ASSIGN(t.status, json::optional_string(r, "status_name", ""));
  SY_TRY_ASSIGN(t.status_id, json::optional_id(r, "status_id", ""));
  SY_TRY_ASSIGN(t.priority_id, json::optional_id(r, "priority_id", ""));
  SY_TRY_ASSIGN(t.type, json::optional_string(r, "tickettype_name", ""));
  SY_TRY_ASSIGN(t.type_id, json::optional_id(r, "tickettype_id", ""));
  SY_TRY_ASSIGN(t.company, ref_of(r, "client_id", "client_name"));
  SY_TRY_ASSIGN(t.contact, ref_of(r, "user_id", "user_name"));
  SY_TRY_ASSIGN(t.created_at, time_of(r, "dateoccurred"));
  SY_TRY_ASSIGN(t.closed_at, time_of(r, "dateclosed"));
  // Halo sets dateclosed when a ticket reaches a closed status (a reopen clears it; the spec
  // does not say so outright: docs/psa/halopsa.md, "What the spec leaves unclear").
  t.closed = t.closed_at.has_value();
  return canonical::Record{std::move(t)};
}

Result<canonical::Record> map_company(canonical::RecordBase base, object r, const MappingLookup& mappings) {
  auto c = canonical::with_base<canonical::Company>(std::move(base));
  SY_TRY_ASSIGN(c.name, json::required_string(r, "name", ""));
  bool inactive = false;
  SY_TRY_ASSIGN(inactive, json::optional_bool(r, "inactive", "", false));
  c.active = !inactive;
  // customertype_new is the customer type's name, customertype its id; the name is looked up
  // first, then the id, as the other connectors do.
  std::optional<std::string> type_name, type_id;
  SY_TRY_ASSIGN(type_name, json::optional_string(r, "customertype_new", ""));
  SY_TRY_ASSIGN(type_id, json::optional_id(r, "customertype", ""));
  if (type_name && !type_name->empty()) {
    c.types.push_back(*type_name);
    c.classification = mappings.resolve("company_classification", *type_name);
  }
  if (type_id) {
    c.type_ids.push_back(*type_id);
    if (!c.classification) c.classification = mappings.resolve("company_classification", *type_id);
  }
  SY_TRY_ASSIGN(c.website, json::optional_string(r, "website", ""));
  if (c.website && c.website->empty()) c.website.reset();
  if (auto st = add_text(r, "accountsemailaddress", c.emails); !st) return st.error();
  SY_TRY_ASSIGN(c.parent, ref_of(r, "toplevel_id", "toplevel_name"));
  return canonical::Record{std::move(c)};
}

Result<canonical::Record> map_contact(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Contact>(std::move(base));
  SY_TRY_ASSIGN(c.first_name, json::optional_string(r, "firstname", ""));
  SY_TRY_ASSIGN(c.last_name, json::optional_string(r, "surname", ""));
  SY_TRY_ASSIGN(c.company, ref_of(r, "client_id", "client_name"));
  bool inactive = false;
  SY_TRY_ASSIGN(inactive, json::optional_bool(r, "inactive", "", false));
  c.active = !inactive;
  for (std::string_view key : {"emailaddress", "email2", "email3"}) {
    if (auto st = add_text(r, key, c.emails); !st) return st.error();
  }
  for (std::string_view key : {"phonenumber_preferred", "phonenumber", "mobilenumber"}) {
    if (auto st = add_text(r, key, c.phones); !st) return st.error();
  }
  return canonical::Record{std::move(c)};
}

Result<canonical::Record> map_configuration(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Configuration>(std::move(base));
  // inventory_number is the asset tag Halo lists assets by; key_field the type's key field.
  std::optional<std::string> tag, key;
  SY_TRY_ASSIGN(tag, json::optional_string(r, "inventory_number", ""));
  SY_TRY_ASSIGN(key, json::optional_string(r, "key_field", ""));
  if (tag && !tag->empty()) c.name = *tag;
  else if (key && !key->empty()) c.name = *key;
  else return json::missing_field("inventory_number");
  SY_TRY_ASSIGN(c.type, json::optional_string(r, "assettype_name", ""));
  SY_TRY_ASSIGN(c.type_id, json::optional_id(r, "assettype_id", ""));
  SY_TRY_ASSIGN(c.status, json::optional_string(r, "status_name", ""));
  SY_TRY_ASSIGN(c.status_id, json::optional_id(r, "status_id", ""));
  SY_TRY_ASSIGN(c.company, ref_of(r, "client_id", "client_name"));
  SY_TRY_ASSIGN(c.warranty_expiry_date, date_of(r, "warranty_end"));
  bool inactive = false;
  SY_TRY_ASSIGN(inactive, json::optional_bool(r, "inactive", "", false));
  c.active = !inactive;
  return canonical::Record{std::move(c)};
}

// A client contract (ContractHeader): its reference names it; the period charge recurs every
// billing period (billing_period_string, e.g. "Monthly").
Result<canonical::Record> map_agreement(canonical::RecordBase base, object r) {
  auto a = canonical::with_base<canonical::Agreement>(std::move(base));
  std::optional<std::string> ref;
  SY_TRY_ASSIGN(ref, json::optional_string(r, "ref", ""));
  SY_TRY_ASSIGN(a.type, json::optional_string(r, "contracttype_name", ""));
  if (ref && !ref->empty()) a.name = *ref;
  else if (a.type && !a.type->empty()) a.name = *a.type;
  else return json::missing_field("ref");
  SY_TRY_ASSIGN(a.company, ref_of(r, "client_id", "client_name"));
  SY_TRY_ASSIGN(a.status, json::optional_string(r, "contract_status", ""));
  SY_TRY_ASSIGN(a.status_id, json::optional_id(r, "status", ""));
  SY_TRY_ASSIGN(a.start_date, date_of(r, "start_date"));
  SY_TRY_ASSIGN(a.end_date, date_of(r, "end_date"));
  SY_TRY_ASSIGN(a.bill_amount, json::optional_number(r, "periodchargeamount", ""));
  SY_TRY_ASSIGN(a.billing_cycle, json::optional_string(r, "billing_period_string", ""));
  if (a.billing_cycle && a.billing_cycle->empty()) a.billing_cycle.reset();
  SY_TRY_ASSIGN(a.billing_cycle_id, json::optional_id(r, "billingperiod", ""));
  if (a.status) a.cancelled = *a.status == "Cancelled";
  if (a.billing_cycle) {
    const auto period = canonical::billing_period_from_text(*a.billing_cycle);
    a.recurring = period != canonical::BillingPeriod::OneTime;
    a.billing_period = std::string(canonical::billing_period_name(period));
    if (a.bill_amount) a.monthly_amount = canonical::monthly_amount(*a.bill_amount, period);
  }
  // ContractHeader states no currency: the instance's default applies, which the API does not
  // say here, so none is claimed.
  return canonical::Record{std::move(a)};
}

// Halo's AddressStore (line1..line4, postcode) as a canonical address; it has no separate city,
// region or country, so those stay unset. nullopt when it holds nothing.
Result<std::optional<canonical::Address>> address_of(object store) {
  canonical::Address a;
  for (std::string_view key : {"line1", "line2", "line3", "line4"}) {
    if (auto st = add_text(store, key, a.street_lines); !st) return st.error();
  }
  SY_TRY_ASSIGN(a.postal_code, json::optional_string(store, "postcode", ""));
  if (a.postal_code && a.postal_code->empty()) a.postal_code.reset();
  if (a.empty()) return std::optional<canonical::Address>{};
  return std::optional<canonical::Address>{std::move(a)};
}

// A Site's address object (delivery_address, invoice_address); the list answer (Site_List)
// carries only the flat delivery_address_line1..5, read when the object is absent.
Result<std::optional<canonical::Address>> site_address(object r, std::string_view key, bool flat_fallback) {
  auto store = json::optional_object(r, key, "");
  if (!store) return store.error();
  if (*store) return address_of(**store);
  if (!flat_fallback) return std::optional<canonical::Address>{};
  canonical::Address a;
  for (std::string_view line : {"delivery_address_line1", "delivery_address_line2", "delivery_address_line3",
                                "delivery_address_line4", "delivery_address_line5"}) {
    if (auto st = add_text(r, line, a.street_lines); !st) return st.error();
  }
  if (a.empty()) return std::optional<canonical::Address>{};
  return std::optional<canonical::Address>{std::move(a)};
}

// A site (Site): delivery address first, then the invoice address unless Halo says it is the
// delivery address or it repeats it. Site has no main-site flag (the client's main_site_id
// names the main site), so `main` stays false.
Result<canonical::Record> map_site(canonical::RecordBase base, object r) {
  auto s = canonical::with_base<canonical::Site>(std::move(base));
  SY_TRY_ASSIGN(s.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(s.company, ref_of(r, "client_id", "client_name"));
  SY_TRY_ASSIGN(s.phone, json::optional_string(r, "phonenumber", ""));
  if (s.phone && s.phone->empty()) s.phone.reset();
  bool inactive = false;
  SY_TRY_ASSIGN(inactive, json::optional_bool(r, "inactive", "", false));
  s.active = !inactive;
  std::optional<canonical::Address> delivery, invoice;
  SY_TRY_ASSIGN(delivery, site_address(r, "delivery_address", true));
  bool invoice_is_delivery = false;
  SY_TRY_ASSIGN(invoice_is_delivery, json::optional_bool(r, "invoice_address_isdelivery", "", false));
  if (!invoice_is_delivery) SY_TRY_ASSIGN(invoice, site_address(r, "invoice_address", false));
  if (delivery) s.addresses.push_back(std::move(*delivery));
  if (invoice && std::ranges::find(s.addresses, *invoice) == s.addresses.end()) s.addresses.push_back(std::move(*invoice));
  return canonical::Record{std::move(s)};
}

}  // namespace

std::optional<std::string> halo_time(std::string_view text) {
  if (text.size() < 19 || text.size() > 40) return std::nullopt;
  // No zone: Halo's API times are UTC.
  const bool zoned = text.back() == 'Z' || text.back() == 'z' || text.substr(19).find_first_of("+-") != std::string_view::npos;
  std::string full(text);
  if (!zoned) full.push_back('Z');
  auto normalized = normalize_rfc3339(full);
  if (!normalized) return std::nullopt;
  return *normalized;
}

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object record,
                                     const MappingLookup& mappings) {
  const Resource* resource = resource_of(type);
  if (!resource) return make_error("unsupported_entity", "halopsa: no mapping for entity \"" + std::string(type) + "\"");
  auto base = base_of(tenant_id, *resource, record);
  if (!base) return base.error();
  if (type == "ticket") return map_ticket(std::move(*base), record);
  if (type == "company") return map_company(std::move(*base), record, mappings);
  if (type == "contact") return map_contact(std::move(*base), record);
  if (type == "agreement") return map_agreement(std::move(*base), record);
  if (type == "site") return map_site(std::move(*base), record);
  return map_configuration(std::move(*base), record);
}

}  // namespace switchyard::connectors::halopsa
