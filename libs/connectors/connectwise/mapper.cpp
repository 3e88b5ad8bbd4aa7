// ConnectWise records → canonical v1.1. Field names: docs/psa/connectwise.md (the public
// ConnectWise Manage REST models).
#include "common/billing_period.h"
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/custom_fields.h"

namespace switchyard::connectors::connectwise {
namespace {

using simdjson::dom::object;

// {"id": 7, "name": "Acme"} → Ref; absent → nullopt.
Result<std::optional<canonical::Ref>> ref_of(object obj, std::string_view key, std::string_view path) {
  auto child = json::optional_object(obj, key, path);
  if (!child) return child.error();
  if (!*child) return std::optional<canonical::Ref>{};
  const std::string child_path = json::join_path(path, key);
  auto id = json::optional_id(**child, "id", child_path);
  if (!id) return id.error();
  if (!*id) return std::optional<canonical::Ref>{};
  auto name = json::optional_string(**child, "name", child_path);
  if (!name) return name.error();
  return std::optional<canonical::Ref>{canonical::Ref{**id, *name}};
}

// {"status": {"name": "New"}} → "New".
Result<std::optional<std::string>> name_of(object obj, std::string_view key, std::string_view path) {
  auto child = json::optional_object(obj, key, path);
  if (!child) return child.error();
  if (!*child) return std::optional<std::string>{};
  return json::optional_string(**child, "name", json::join_path(path, key));
}

// {"status": {"id": 16}} → "16".
Result<std::optional<std::string>> id_of(object obj, std::string_view key, std::string_view path) {
  auto child = json::optional_object(obj, key, path);
  if (!child) return child.error();
  if (!*child) return std::optional<std::string>{};
  return json::optional_id(**child, "id", json::join_path(path, key));
}

Result<std::optional<std::string>> time_of(object obj, std::string_view key, std::string_view path) {
  auto text = json::optional_string(obj, key, path);
  if (!text || !*text) return text;
  auto normalized = normalize_rfc3339(**text);
  if (!normalized) return json::invalid_field(json::join_path(path, key), "not an RFC 3339 time");
  return std::optional<std::string>{*normalized};
}

// "2026-01-01T00:00:00Z" (ConnectWise sends dates as datetimes at midnight) → "2026-01-01". The
// date as written: a datetime with an offset is not moved to UTC first, which could change the day.
Result<std::optional<std::string>> date_of(object obj, std::string_view key, std::string_view path) {
  auto text = json::optional_string(obj, key, path);
  if (!text || !*text) return text;
  const std::string date = (*text)->substr(0, 10);
  if (!is_valid_date(date) || !parse_rfc3339(**text)) {
    return json::invalid_field(json::join_path(path, key), "not an RFC 3339 date-time");
  }
  return std::optional<std::string>{date};
}

// customFields: [{"caption": "Region", "value": "EU"}, ...] → {"Region": "EU"}.
Status read_custom_fields(object obj, canonical::RecordBase& base) {
  auto list = json::optional_array(obj, "customFields", "");
  if (!list) return list.error();
  if (*list) connectors::read_custom_fields(**list, "caption", base.custom_fields);
  return ok_status();
}

Result<canonical::RecordBase> base_of(std::string_view tenant_id, std::string_view type, object record) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = json::required_id(record, "id", "");
  if (!id) return id.error();
  base.source = canonical::SourceRef{"connectwise", std::string(collection_of(type)), *id};
  auto info = json::optional_object(record, "_info", "");
  if (!info) return info.error();
  if (*info) {
    auto updated = time_of(**info, "lastUpdated", "_info");
    if (!updated) return updated.error();
    if (*updated) base.updated_at = **updated;
  }
  if (base.updated_at.empty()) return json::missing_field("_info.lastUpdated");
  if (auto st = read_custom_fields(record, base); !st) return st.error();
  return base;
}

#define SY_TRY_ASSIGN(target, expr)        \
  do {                                     \
    auto sy_result = (expr);               \
    if (!sy_result) return sy_result.error(); \
    target = std::move(*sy_result);        \
  } while (0)

// addressLine1/2, city, state, zip, country{name}: the company's main address.
Result<std::optional<canonical::Address>> address_of(object r) {
  canonical::Address a;
  for (std::string_view key : {"addressLine1", "addressLine2"}) {
    auto line = json::optional_string(r, key, "");
    if (!line) return line.error();
    if (*line && !(*line)->empty()) a.street_lines.push_back(**line);
  }
  SY_TRY_ASSIGN(a.city, json::optional_string(r, "city", ""));
  SY_TRY_ASSIGN(a.region, json::optional_string(r, "state", ""));
  SY_TRY_ASSIGN(a.postal_code, json::optional_string(r, "zip", ""));
  SY_TRY_ASSIGN(a.country, name_of(r, "country", ""));
  if (a.empty()) return std::optional<canonical::Address>{};
  return std::optional<canonical::Address>{std::move(a)};
}

Result<canonical::Record> map_ticket(canonical::RecordBase base, object r) {
  auto t = canonical::with_base<canonical::Ticket>(std::move(base));
  SY_TRY_ASSIGN(t.title, json::required_string(r, "summary", ""));
  SY_TRY_ASSIGN(t.description, json::optional_string(r, "initialDescription", ""));
  SY_TRY_ASSIGN(t.status, name_of(r, "status", ""));
  SY_TRY_ASSIGN(t.priority, name_of(r, "priority", ""));
  SY_TRY_ASSIGN(t.board, ref_of(r, "board", ""));
  SY_TRY_ASSIGN(t.company, ref_of(r, "company", ""));
  SY_TRY_ASSIGN(t.contact, ref_of(r, "contact", ""));
  SY_TRY_ASSIGN(t.external_ref, json::optional_string(r, "externalXRef", ""));
  SY_TRY_ASSIGN(t.closed, json::optional_bool(r, "closedFlag", "", false));
  // ConnectWise keeps the creation time in _info.dateEntered.
  auto info = json::optional_object(r, "_info", "");
  if (!info) return info.error();
  if (*info) SY_TRY_ASSIGN(t.created_at, time_of(**info, "dateEntered", "_info"));
  SY_TRY_ASSIGN(t.closed_at, time_of(r, "closedDate", ""));
  SY_TRY_ASSIGN(t.status_id, id_of(r, "status", ""));
  SY_TRY_ASSIGN(t.priority_id, id_of(r, "priority", ""));
  SY_TRY_ASSIGN(t.type, name_of(r, "type", ""));
  SY_TRY_ASSIGN(t.type_id, id_of(r, "type", ""));
  SY_TRY_ASSIGN(t.subtype, name_of(r, "subType", ""));
  SY_TRY_ASSIGN(t.subtype_id, id_of(r, "subType", ""));
  return canonical::Record{std::move(t)};
}

Result<canonical::Record> map_company(canonical::RecordBase base, object r, const MappingLookup& mappings) {
  auto c = canonical::with_base<canonical::Company>(std::move(base));
  SY_TRY_ASSIGN(c.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(c.identifier, json::optional_string(r, "identifier", ""));
  SY_TRY_ASSIGN(c.status, name_of(r, "status", ""));
  bool deleted = false;
  SY_TRY_ASSIGN(deleted, json::optional_bool(r, "deletedFlag", "", false));
  c.active = !deleted && c.status.value_or("Active") != "Inactive";
  auto types = json::optional_array(r, "types", "");
  if (!types) return types.error();
  if (*types) {
    for (simdjson::dom::element item : **types) {
      std::string_view type_name;
      if (item["name"].get(type_name) == simdjson::SUCCESS) c.types.emplace_back(type_name);
      simdjson::dom::element type_id;
      if (item["id"].get(type_id) != simdjson::SUCCESS) continue;
      if (auto id = json::id_string(type_id, "types[].id")) c.type_ids.push_back(*id);
    }
  }
  // The first type that maps decides; a type is looked up by name, then by id.
  for (const auto& keys : {c.types, c.type_ids}) {
    for (const auto& key : keys) {
      if (!c.classification) c.classification = mappings.resolve("company_classification", key);
    }
  }
  SY_TRY_ASSIGN(c.status_id, id_of(r, "status", ""));
  std::optional<canonical::Address> address;
  SY_TRY_ASSIGN(address, address_of(r));
  if (address) c.addresses.push_back(std::move(*address));
  SY_TRY_ASSIGN(c.website, json::optional_string(r, "website", ""));
  SY_TRY_ASSIGN(c.phone, json::optional_string(r, "phoneNumber", ""));
  // A ConnectWise company has no e-mail field of its own: its addresses are the invoicing ones,
  // "To" first, then the CC list (separated by ";" or ",").
  for (std::string_view key : {"invoiceToEmailAddress", "invoiceCCEmailAddress"}) {
    std::optional<std::string> list;
    SY_TRY_ASSIGN(list, json::optional_string(r, key, ""));
    std::string_view rest = list ? std::string_view(*list) : std::string_view{};
    while (!rest.empty()) {
      const size_t cut = rest.find_first_of(";,");
      std::string_view one = rest.substr(0, cut);
      rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 1);
      while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
      while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
      if (!one.empty() && std::ranges::find(c.emails, one) == c.emails.end()) c.emails.emplace_back(one);
    }
  }
  SY_TRY_ASSIGN(c.parent, ref_of(r, "parentCompany", ""));
  return canonical::Record{std::move(c)};
}

Result<canonical::Record> map_contact(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Contact>(std::move(base));
  SY_TRY_ASSIGN(c.first_name, json::optional_string(r, "firstName", ""));
  SY_TRY_ASSIGN(c.last_name, json::optional_string(r, "lastName", ""));
  SY_TRY_ASSIGN(c.company, ref_of(r, "company", ""));
  bool inactive = false;
  SY_TRY_ASSIGN(inactive, json::optional_bool(r, "inactiveFlag", "", false));
  c.active = !inactive;
  // communicationItems: [{"communicationType": "Email", "value": "a@b.c", "defaultFlag": true}, ...];
  // the default (primary) item of each kind comes first.
  auto items = json::optional_array(r, "communicationItems", "");
  if (!items) return items.error();
  if (*items) {
    for (const bool primary : {true, false}) {
      for (simdjson::dom::element item : **items) {
        std::string_view kind, value;
        bool is_default = false;
        if (item["defaultFlag"].get(is_default) != simdjson::SUCCESS) is_default = false;
        if (is_default != primary) continue;
        if (item["communicationType"].get(kind) != simdjson::SUCCESS) continue;
        if (item["value"].get(value) != simdjson::SUCCESS || value.empty()) continue;
        if (kind == "Email") c.emails.emplace_back(value);
        else if (kind == "Phone") c.phones.emplace_back(value);
      }
    }
  }
  return canonical::Record{std::move(c)};
}

// An agreement: its billing cycle becomes the canonical period and the monthly amount. The
// ConnectWise agreement has no vendor of its own, so `vendor` stays unset (the sync policies,
// not the mapper, decide what a missing vendor means).
Result<canonical::Record> map_agreement(canonical::RecordBase base, object r) {
  auto a = canonical::with_base<canonical::Agreement>(std::move(base));
  SY_TRY_ASSIGN(a.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(a.type, name_of(r, "type", ""));
  SY_TRY_ASSIGN(a.type_id, id_of(r, "type", ""));
  SY_TRY_ASSIGN(a.company, ref_of(r, "company", ""));
  SY_TRY_ASSIGN(a.status, json::optional_string(r, "agreementStatus", ""));
  SY_TRY_ASSIGN(a.start_date, date_of(r, "startDate", ""));
  SY_TRY_ASSIGN(a.end_date, date_of(r, "endDate", ""));
  SY_TRY_ASSIGN(a.bill_amount, json::optional_number(r, "billAmount", ""));
  SY_TRY_ASSIGN(a.billing_cycle, name_of(r, "billingCycle", ""));
  SY_TRY_ASSIGN(a.billing_cycle_id, id_of(r, "billingCycle", ""));
  bool cancelled = false;
  SY_TRY_ASSIGN(cancelled, json::optional_bool(r, "cancelledFlag", "", false));
  a.cancelled = cancelled || a.status == "Cancelled";
  // Recurring unless ConnectWise says it bills once.
  bool one_time = false, bill_one_time = false;
  SY_TRY_ASSIGN(one_time, json::optional_bool(r, "oneTimeFlag", "", false));
  SY_TRY_ASSIGN(bill_one_time, json::optional_bool(r, "billOneTimeFlag", "", false));
  a.recurring = !one_time && !bill_one_time;
  auto currency = json::optional_object(r, "currency", "");
  if (!currency) return currency.error();
  if (*currency) SY_TRY_ASSIGN(a.currency, json::optional_string(**currency, "currencyCode", "currency"));
  if (a.billing_cycle || !*a.recurring) {
    const auto period = *a.recurring ? canonical::billing_period_from_text(a.billing_cycle.value_or(""))
                                     : canonical::BillingPeriod::OneTime;
    a.billing_period = std::string(canonical::billing_period_name(period));
    if (a.bill_amount) a.monthly_amount = canonical::monthly_amount(*a.bill_amount, period);
  }
  return canonical::Record{std::move(a)};
}

// An agreement addition: one billing line of its agreement.
Result<canonical::Record> map_addition(canonical::RecordBase base, object r) {
  auto b = canonical::with_base<canonical::BillingLine>(std::move(base));
  std::optional<std::string> agreement_id;
  SY_TRY_ASSIGN(agreement_id, json::optional_id(r, "agreementId", ""));
  if (agreement_id) b.agreement = canonical::Ref{*agreement_id, std::nullopt};
  std::optional<std::string> description, invoice_description, product;
  SY_TRY_ASSIGN(description, json::optional_string(r, "description", ""));
  SY_TRY_ASSIGN(invoice_description, json::optional_string(r, "invoiceDescription", ""));
  auto product_ref = json::optional_object(r, "product", "");
  if (!product_ref) return product_ref.error();
  if (*product_ref) SY_TRY_ASSIGN(product, json::optional_string(**product_ref, "identifier", "product"));
  b.product = product;
  b.description = description.value_or(invoice_description.value_or(product.value_or("")));
  std::optional<double> quantity;
  SY_TRY_ASSIGN(quantity, json::optional_number(r, "quantity", ""));
  b.quantity = quantity.value_or(0);
  SY_TRY_ASSIGN(b.unit_price, json::optional_number(r, "unitPrice", ""));
  SY_TRY_ASSIGN(b.unit_cost, json::optional_number(r, "unitCost", ""));
  SY_TRY_ASSIGN(b.effective_date, date_of(r, "effectiveDate", ""));
  std::optional<std::string> bill_customer;
  SY_TRY_ASSIGN(bill_customer, json::optional_string(r, "billCustomer", ""));
  b.billable = bill_customer.value_or("Billable") == "Billable";
  return canonical::Record{std::move(b)};
}

// A configuration (a device or asset of a company) with its lifecycle dates.
Result<canonical::Record> map_configuration(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Configuration>(std::move(base));
  SY_TRY_ASSIGN(c.name, json::required_string(r, "name", ""));
  SY_TRY_ASSIGN(c.type, name_of(r, "type", ""));
  SY_TRY_ASSIGN(c.type_id, id_of(r, "type", ""));
  SY_TRY_ASSIGN(c.company, ref_of(r, "company", ""));
  SY_TRY_ASSIGN(c.serial_number, json::optional_string(r, "serialNumber", ""));
  SY_TRY_ASSIGN(c.status, name_of(r, "status", ""));
  SY_TRY_ASSIGN(c.status_id, id_of(r, "status", ""));
  SY_TRY_ASSIGN(c.active, json::optional_bool(r, "activeFlag", "", true));
  SY_TRY_ASSIGN(c.purchase_date, date_of(r, "purchaseDate", ""));
  SY_TRY_ASSIGN(c.warranty_expiry_date, date_of(r, "warrantyExpirationDate", ""));
  // A configuration pushed by configuration.upsert keeps the vendor's device in deviceIdentifier
  // and the link back to it in managementLink.
  std::optional<std::string> device, link;
  SY_TRY_ASSIGN(device, json::optional_string(r, "deviceIdentifier", ""));
  SY_TRY_ASSIGN(link, json::optional_string(r, "managementLink", ""));
  if (device && !device->empty()) c.vendor_ref = canonical::VendorRef{*device, link};
  return canonical::Record{std::move(c)};
}

// A ticket note (service/tickets/{id}/notes). ConnectWise files a note as the discussion
// (detailDescriptionFlag), the internal analysis (internalAnalysisFlag) or the resolution; only
// the internal analysis, or a note marked internalFlag, is hidden from the customer.
Result<canonical::Record> map_ticket_note(canonical::RecordBase base, object r) {
  auto n = canonical::with_base<canonical::TicketNote>(std::move(base));
  std::optional<std::string> ticket;
  SY_TRY_ASSIGN(ticket, json::optional_id(r, "ticketId", ""));
  if (ticket) n.ticket = canonical::Ref{*ticket, std::nullopt};
  SY_TRY_ASSIGN(n.text, json::required_string(r, "text", ""));
  bool analysis = false, internal = false;
  SY_TRY_ASSIGN(analysis, json::optional_bool(r, "internalAnalysisFlag", "", false));
  SY_TRY_ASSIGN(internal, json::optional_bool(r, "internalFlag", "", false));
  n.internal = analysis || internal;
  SY_TRY_ASSIGN(n.created_at, time_of(r, "dateCreated", ""));
  if (!n.created_at) {
    auto info = json::optional_object(r, "_info", "");
    if (!info) return info.error();
    if (*info) SY_TRY_ASSIGN(n.created_at, time_of(**info, "dateEntered", "_info"));
  }
  // The member who wrote it, or the contact when the customer did (through the portal or e-mail);
  // by id only, the name stays in the PSA.
  std::optional<std::string> author;
  SY_TRY_ASSIGN(author, id_of(r, "member", ""));
  if (!author) SY_TRY_ASSIGN(author, id_of(r, "contact", ""));
  if (author) n.author = canonical::Ref{*author, std::nullopt};
  return canonical::Record{std::move(n)};
}

#undef SY_TRY_ASSIGN

}  // namespace

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object record,
                                     const MappingLookup& mappings) {
  auto base = base_of(tenant_id, type, record);
  if (!base) return base.error();
  if (type == "ticket") return map_ticket(std::move(*base), record);
  if (type == "company") return map_company(std::move(*base), record, mappings);
  if (type == "contact") return map_contact(std::move(*base), record);
  if (type == "agreement") return map_agreement(std::move(*base), record);
  if (type == "billing_line") return map_addition(std::move(*base), record);
  if (type == "configuration") return map_configuration(std::move(*base), record);
  if (type == "ticket_note") return map_ticket_note(std::move(*base), record);
  return make_error("unsupported_entity", "connectwise: no mapping for entity \"" + std::string(type) + "\"");
}

}  // namespace switchyard::connectors::connectwise
