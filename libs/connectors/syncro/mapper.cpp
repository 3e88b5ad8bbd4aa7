// Syncro records → canonical v1.1. Field names: docs/psa/syncro.md (the Syncro v1 spec's
// Ticket, Customer, Contact, Asset and Contract examples).
#include <algorithm>
#include <charconv>

#include "common/billing_period.h"
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {
namespace {

using simdjson::dom::object;

#define SY_TRY_ASSIGN(target, expr)           \
  do {                                        \
    auto sy_result = (expr);                  \
    if (!sy_result) return sy_result.error(); \
    target = std::move(*sy_result);           \
  } while (0)

// The closed status: Syncro closes a ticket by setting it to "Resolved".
constexpr std::string_view kResolved = "Resolved";

// A string member, with null and "" both read as absent.
Result<std::optional<std::string>> text_of(object obj, std::string_view key) {
  auto text = json::optional_string(obj, key, "");
  if (!text) return text.error();
  if (*text && (*text)->empty()) return std::optional<std::string>{};
  return *text;
}

Result<std::optional<std::string>> time_of(object obj, std::string_view key) {
  auto text = text_of(obj, key);
  if (!text) return text.error();
  if (!*text) return std::optional<std::string>{};
  auto normalized = syncro_time(**text);
  if (!normalized) return json::invalid_field(key, "not a date-time");
  return std::optional<std::string>{*normalized};
}

// "2020-10-22T00:00:00.000Z" → "2020-10-22": the date as written.
Result<std::optional<std::string>> date_of(object obj, std::string_view key) {
  auto text = text_of(obj, key);
  if (!text) return text.error();
  if (!*text) return std::optional<std::string>{};
  const std::string date = (*text)->substr(0, 10);
  if (!is_valid_date(date)) return json::invalid_field(key, "not a date");
  return std::optional<std::string>{date};
}

// Syncro's flat references: "customer_id": 1, "customer_business_then_name": "Acme" → Ref.
Result<std::optional<canonical::Ref>> ref_of(object obj, std::string_view id_key, std::string_view name_key) {
  auto id = json::optional_id(obj, id_key, "");
  if (!id) return id.error();
  if (!*id) return std::optional<canonical::Ref>{};
  std::optional<std::string> name;
  if (!name_key.empty()) SY_TRY_ASSIGN(name, text_of(obj, name_key));
  return std::optional<canonical::Ref>{canonical::Ref{**id, std::move(name)}};
}

// Appends a non-empty, not yet listed string member.
Status add_text(object obj, std::string_view key, std::vector<std::string>& out) {
  auto text = text_of(obj, key);
  if (!text) return text.error();
  if (*text && std::ranges::find(out, **text) == out.end()) out.push_back(**text);
  return ok_status();
}

// An amount Syncro may write as a number or as text ("1500.0"; the spec's example even has
// "30k"): a number only when the whole text is one, else nullopt (never a guess).
Result<std::optional<double>> amount_of(object obj, std::string_view key) {
  simdjson::dom::element value;
  if (obj[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::optional<double>{};
  if (value.is_number()) return json::optional_number(obj, key, "");
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) return json::invalid_field(key, "not a number or text");
  double amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::optional<double>{};
  return std::optional<double>{amount};
}

Result<canonical::RecordBase> base_of(std::string_view tenant_id, const Resource& resource, object record) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = json::required_id(record, "id", "");
  if (!id) return id.error();
  base.source = canonical::SourceRef{"syncro", std::string(resource.path), *id};
  auto updated = time_of(record, "updated_at");
  if (!updated) return updated.error();
  if (!*updated) return json::missing_field("updated_at");
  base.updated_at = **updated;
  return base;
}

Result<canonical::Record> map_ticket(canonical::RecordBase base, object r) {
  auto t = canonical::with_base<canonical::Ticket>(std::move(base));
  SY_TRY_ASSIGN(t.title, json::required_string(r, "subject", ""));
  SY_TRY_ASSIGN(t.status, text_of(r, "status"));
  SY_TRY_ASSIGN(t.priority, text_of(r, "priority"));
  SY_TRY_ASSIGN(t.type, text_of(r, "ticket_type_name"));
  SY_TRY_ASSIGN(t.type_id, json::optional_id(r, "ticket_type_id", ""));
  SY_TRY_ASSIGN(t.issue_type, text_of(r, "problem_type"));
  SY_TRY_ASSIGN(t.company, ref_of(r, "customer_id", "customer_business_then_name"));
  SY_TRY_ASSIGN(t.contact, ref_of(r, "contact_id", "contact_fullname"));
  SY_TRY_ASSIGN(t.created_at, time_of(r, "created_at"));
  SY_TRY_ASSIGN(t.closed_at, time_of(r, "resolved_at"));
  t.closed = t.status == kResolved;
  if (!t.closed) t.closed_at.reset();  // a reopened ticket may keep its old resolved_at
  return canonical::Record{std::move(t)};
}

// Syncro customers carry no type: every one is a "Customer", classified through the
// company_classification mapping (default "customer"), so a tenant can still say otherwise.
Result<canonical::Record> map_company(canonical::RecordBase base, object r, const MappingLookup& mappings) {
  auto c = canonical::with_base<canonical::Company>(std::move(base));
  // business_then_name: the business name, or the person's name for a consumer customer.
  std::optional<std::string> name;
  for (std::string_view key : {"business_then_name", "business_name", "fullname"}) {
    SY_TRY_ASSIGN(name, text_of(r, key));
    if (name) break;
  }
  if (!name) return json::missing_field("business_then_name");
  c.name = std::move(*name);
  bool disabled = false;
  SY_TRY_ASSIGN(disabled, json::optional_bool(r, "disabled", "", false));
  c.active = !disabled;
  c.status = disabled ? "Disabled" : "Active";
  c.types.push_back("Customer");
  c.classification = mappings.resolve("company_classification", "Customer");
  if (auto st = add_text(r, "email", c.emails); !st) return st.error();
  SY_TRY_ASSIGN(c.phone, text_of(r, "phone"));
  if (!c.phone) SY_TRY_ASSIGN(c.phone, text_of(r, "mobile"));
  SY_TRY_ASSIGN(c.website, text_of(r, "website"));  // not in the spec's example: read when sent
  canonical::Address address;
  if (auto st = add_text(r, "address", address.street_lines); !st) return st.error();
  if (auto st = add_text(r, "address_2", address.street_lines); !st) return st.error();
  SY_TRY_ASSIGN(address.city, text_of(r, "city"));
  SY_TRY_ASSIGN(address.region, text_of(r, "state"));
  SY_TRY_ASSIGN(address.postal_code, text_of(r, "zip"));
  if (!address.empty()) c.addresses.push_back(std::move(address));
  return canonical::Record{std::move(c)};
}

// A contact has one "name": split at its first space, as Syncro's screen asks for one field.
Result<canonical::Record> map_contact(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Contact>(std::move(base));
  std::optional<std::string> name;
  SY_TRY_ASSIGN(name, text_of(r, "name"));
  if (name) {
    const size_t space = name->find(' ');
    c.first_name = name->substr(0, space);
    if (space != std::string::npos && space + 1 < name->size()) c.last_name = name->substr(space + 1);
  }
  SY_TRY_ASSIGN(c.company, ref_of(r, "customer_id", ""));
  if (auto st = add_text(r, "email", c.emails); !st) return st.error();
  for (std::string_view key : {"phone", "mobile"}) {
    if (auto st = add_text(r, key, c.phones); !st) return st.error();
  }
  return canonical::Record{std::move(c)};
}

Result<canonical::Record> map_configuration(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Configuration>(std::move(base));
  SY_TRY_ASSIGN(c.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(c.type, text_of(r, "asset_type"));
  SY_TRY_ASSIGN(c.type_id, json::optional_id(r, "asset_type_id", ""));
  SY_TRY_ASSIGN(c.serial_number, text_of(r, "asset_serial"));
  SY_TRY_ASSIGN(c.company, ref_of(r, "customer_id", ""));
  return canonical::Record{std::move(c)};
}

// A contract: its amount (contract_amount) is the contract's value; the spec names no billing
// period or currency, so neither is claimed, and it is not called recurring.
Result<canonical::Record> map_agreement(canonical::RecordBase base, object r) {
  auto a = canonical::with_base<canonical::Agreement>(std::move(base));
  SY_TRY_ASSIGN(a.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(a.company, ref_of(r, "customer_id", ""));
  SY_TRY_ASSIGN(a.status, text_of(r, "status"));
  SY_TRY_ASSIGN(a.start_date, date_of(r, "start_date"));
  SY_TRY_ASSIGN(a.end_date, date_of(r, "end_date"));
  SY_TRY_ASSIGN(a.bill_amount, amount_of(r, "contract_amount"));
  // Not in the spec's example: read when an account sends them.
  SY_TRY_ASSIGN(a.billing_cycle, text_of(r, "billing_period"));
  SY_TRY_ASSIGN(a.currency, text_of(r, "currency"));
  if (a.billing_cycle) {
    const auto period = canonical::billing_period_from_text(*a.billing_cycle);
    a.recurring = period != canonical::BillingPeriod::OneTime;
    a.billing_period = std::string(canonical::billing_period_name(period));
    if (a.bill_amount) a.monthly_amount = canonical::monthly_amount(*a.bill_amount, period);
  }
  return canonical::Record{std::move(a)};
}

}  // namespace

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object record,
                                     const MappingLookup& mappings) {
  const Resource* resource = resource_of(type);
  if (!resource) return make_error("unsupported_entity", "syncro: no mapping for entity \"" + std::string(type) + "\"");
  auto base = base_of(tenant_id, *resource, record);
  if (!base) return base.error();
  if (type == "ticket") return map_ticket(std::move(*base), record);
  if (type == "company") return map_company(std::move(*base), record, mappings);
  if (type == "contact") return map_contact(std::move(*base), record);
  if (type == "agreement") return map_agreement(std::move(*base), record);
  return map_configuration(std::move(*base), record);
}

}  // namespace switchyard::connectors::syncro
