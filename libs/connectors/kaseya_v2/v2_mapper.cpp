// v2 records → canonical v1.1. Field names: docs/psa/kaseya-bms.md, "Fields" (the BMS spec's
// TicketListDto, AccountSummaryOutputDto, ContactsSearchSelectOutputDto,
// ClientContractSummaryOutputDto and HardwareAssetsListSearchSelectOutputDto).
#include "common/billing_period.h"
#include "common/json_read.h"
#include "connectors/kaseya_v2/v2_api.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

using simdjson::dom::object;

std::optional<std::string> time_of(object r, std::string_view key) {
  const auto t = text(r, key);
  return t ? v2_time(*t) : std::nullopt;
}

std::optional<std::string> date_of(object r, std::string_view key) {
  const auto t = text(r, key);
  return t ? v2_date(*t) : std::nullopt;
}

// Flat references: "AccountId": 12, "AccountName": "Acme" → Ref; no id → nullopt.
std::optional<canonical::Ref> ref_of(object r, std::string_view id_key, std::string_view name_key) {
  auto id = id_text(r, id_key);
  if (!id) return std::nullopt;
  return canonical::Ref{std::move(*id), name_key.empty() ? std::nullopt : text(r, name_key)};
}

Result<canonical::Record> map_ticket(canonical::RecordBase base, object r, const MappingLookup& mappings) {
  auto t = canonical::with_base<canonical::Ticket>(std::move(base));
  auto title = text(r, "Title");
  if (!title) return json::missing_field("Title");
  t.title = std::move(*title);
  t.description = text(r, "Details");
  t.status = text(r, "StatusName");
  t.status_id = id_text(r, "StatusId");
  t.priority = text(r, "PriorityName");
  t.priority_id = id_text(r, "PriorityId");
  t.type = text(r, "TypeName");
  t.type_id = id_text(r, "TypeId");
  t.issue_type = text(r, "IssueTypeName");
  t.issue_type_id = id_text(r, "IssueTypeId");
  t.subtype = text(r, "SubIssueTypeName");
  t.subtype_id = id_text(r, "SubIssueTypeId");
  t.board = ref_of(r, "QueueId", "QueueName");
  t.company = ref_of(r, "AccountId", "AccountName");
  t.contact = ref_of(r, "ContactId", "ContactName");
  t.channel = text(r, "SourceName");
  t.channel_id = id_text(r, "SourceId");
  t.created_at = time_of(r, "OpenDate");
  if (!t.created_at) t.created_at = time_of(r, "CreatedOn");
  // Closed: the status is one the tenant's "status" table maps to complete/closed (the
  // instance's own names), or, without such a mapping, a CompletedDate is set.
  bool mapped_closed = false;
  for (std::string_view canonical_status : {"complete", "closed"}) {
    const auto name = mappings.resolve("status", canonical_status);
    mapped_closed = mapped_closed || (name && t.status && *name == *t.status);
  }
  t.closed_at = time_of(r, "CompletedDate");
  t.closed = mapped_closed || t.closed_at.has_value();
  return canonical::Record{std::move(t)};
}

// The account type names the company: classified through the company_classification mapping
// ("Customer" → "customer", "Prospect" → "prospect", ...), so a tenant's own types map too.
Result<canonical::Record> map_company(canonical::RecordBase base, object r, const MappingLookup& mappings) {
  auto c = canonical::with_base<canonical::Company>(std::move(base));
  auto name = text(r, "AccountName");
  if (!name) return json::missing_field("AccountName");
  c.name = std::move(*name);
  c.identifier = text(r, "AccountCode");
  c.active = flag(r, "IsActive").value_or(true);
  c.status = c.active ? "Active" : "Inactive";
  if (auto type = text(r, "AccountType")) {
    c.classification = mappings.resolve("company_classification", *type);
    c.types.push_back(std::move(*type));
    if (auto type_id = id_text(r, "AccountTypeId")) {
      c.type_ids.push_back(*type_id);
      if (!c.classification) c.classification = mappings.resolve("company_classification", *type_id);
    }
  }
  c.website = text(r, "Website");
  if (auto parent = id_text(r, "ParentId")) c.parent = canonical::Ref{std::move(*parent), std::nullopt};
  return canonical::Record{std::move(c)};
}

Result<canonical::Record> map_contact(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Contact>(std::move(base));
  c.first_name = text(r, "FirstName");
  c.last_name = text(r, "LastName");
  if (!c.first_name && !c.last_name) return json::missing_field("FirstName");
  c.company = ref_of(r, "AccountId", "AccountName");
  if (auto email = text(r, "EmailAddress")) c.emails.push_back(std::move(*email));
  for (std::string_view key : {"Phone", "PhoneNumber", "MobilePhone"}) {  // not in the search DTO: read when sent
    if (auto phone = text(r, key)) c.phones.push_back(std::move(*phone));
  }
  c.active = flag(r, "IsActive").value_or(true);
  return canonical::Record{std::move(c)};
}

// A contract. Its ContractBillingPrice is the price per BillingCycle; a "Recurring Service"
// contract, or one billed on a cycle other than one-time, recurs.
Result<canonical::Record> map_agreement(canonical::RecordBase base, object r) {
  auto a = canonical::with_base<canonical::Agreement>(std::move(base));
  auto name = text(r, "ContractName");
  if (!name) return json::missing_field("ContractName");
  a.name = std::move(*name);
  a.type = text(r, "ContractType");
  a.company = ref_of(r, "AccountId", "AccountName");  // the summary names the account only: no Ref then
  a.status = text(r, "Status");
  a.start_date = date_of(r, "StartDate");
  a.end_date = date_of(r, "EndDate");
  a.bill_amount = number(r, "ContractBillingPrice");
  a.billing_cycle = text(r, "BillingCycle");
  a.currency = text(r, "CurrencyCode");  // not in the summary DTO: read when sent
  const bool recurring_type = a.type && a.type->find("Recurring") != std::string::npos;
  if (a.billing_cycle) {
    const auto period = canonical::billing_period_from_text(*a.billing_cycle);
    a.recurring = recurring_type || period != canonical::BillingPeriod::OneTime;
    a.billing_period = std::string(canonical::billing_period_name(period));
    if (a.bill_amount) a.monthly_amount = canonical::monthly_amount(*a.bill_amount, period);
  } else if (recurring_type) {
    a.recurring = true;
  }
  if (a.status) a.cancelled = *a.status == "Cancelled";
  return canonical::Record{std::move(a)};
}

Result<canonical::Record> map_configuration(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Configuration>(std::move(base));
  auto name = text(r, "AssetName");
  if (!name) return json::missing_field("AssetName");
  c.name = std::move(*name);
  c.type = text(r, "CategoryName");
  c.type_id = id_text(r, "CategoryId");
  c.serial_number = text(r, "SerialNumber");
  c.company = ref_of(r, "AccountId", "AccountName");
  c.active = flag(r, "IsActive").value_or(true);
  c.status = c.active ? "Active" : "Inactive";
  return canonical::Record{std::move(c)};
}

}  // namespace

Result<canonical::Record> map_record(std::string_view psa, std::string_view tenant_id, std::string_view type,
                                     object record, const MappingLookup& mappings, std::string_view fallback_time) {
  const Resource* resource = resource_of(type);
  if (!resource) {
    return make_error("unsupported_entity", std::string(psa) + ": no mapping for entity \"" + std::string(type) + "\"");
  }
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = id_text(record, "Id");
  if (!id) return json::missing_field("Id");
  base.source = canonical::SourceRef{std::string(psa), std::string(resource->label), *id};
  std::optional<std::string> updated;
  if (!resource->change_field.empty()) updated = time_of(record, resource->change_field);
  if (!updated) updated = time_of(record, "ModifiedOn");
  if (!updated && !fallback_time.empty()) updated = std::string(fallback_time);
  if (!updated) return json::missing_field(resource->change_field.empty() ? "ModifiedOn" : resource->change_field);
  base.updated_at = std::move(*updated);
  if (type == "ticket") return map_ticket(std::move(base), record, mappings);
  if (type == "company") return map_company(std::move(base), record, mappings);
  if (type == "contact") return map_contact(std::move(base), record);
  if (type == "agreement") return map_agreement(std::move(base), record);
  return map_configuration(std::move(base), record);
}

}  // namespace switchyard::connectors::kaseya_v2
