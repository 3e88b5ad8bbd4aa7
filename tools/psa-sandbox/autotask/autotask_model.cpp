#include "psa-sandbox/autotask/autotask_model.h"

#include <algorithm>
#include <chrono>
#include <charconv>
#include <cmath>

#include "common/time_format.h"
#include "psa-sandbox/autotask/autotask_fields.h"
#include "psa-sandbox/autotask/autotask_webhooks.h"

namespace switchyard::sandbox {

std::string at_now() { return format_rfc3339_utc(std::chrono::system_clock::now()); }

namespace {

bool is_integer_type(std::string_view t) { return t == "integer" || t == "long" || t == "short" || t == "byte"; }
bool is_decimal_type(std::string_view t) { return t == "double" || t == "decimal"; }

bool missing(const Value* v) { return v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty()); }

// "20261125" from "2026-11-25T10:00:00.000Z".
std::string date_digits(std::string_view rfc3339) {
  std::string out;
  for (const char c : rfc3339.substr(0, 10)) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

const AtPicklist* picklist(const AtEntity& e, std::string_view field) {
  for (const auto& p : e.picklists) {
    if (p.field == field) return &p;
  }
  return nullptr;
}

}  // namespace

const std::vector<AtEntity>& at_entities() {
  // Picklist values are Autotask's defaults (docs/psa/autotask.md: status 5 Complete, company type
  // 1 Customer, ...); real tenants customise them, so connectors read entityInformation.
  static const std::vector<AtEntity> k = with_webhook_entities({
      {"Tickets", "Ticket", true, "", "", "", false,
       {"companyID", "title", "status", "priority", "queueID"},
       {{"title", 255}, {"description", 8000}, {"externalID", 50}},
       {{"status", {{1, "New"}, {5, "Complete"}, {7, "Waiting Customer"}, {8, "In Progress"},
                    {9, "Waiting Materials"}, {10, "Dispatched"}, {11, "Escalate"}, {12, "Waiting Vendor"},
                    {13, "Waiting Approval"}}},
        {"priority", {{1, "High"}, {2, "Medium"}, {3, "Low"}, {4, "Critical"}}},
        {"queueID", {{5, "Client Portal"}, {6, "Post Sale"}, {8, "Level I Support"}, {29682833, "Monitoring Alert"}}},
        {"ticketType", {{1, "Service Request"}, {2, "Incident"}, {3, "Problem"}, {4, "Change Request"}, {5, "Alert"}}}},
       {{"companyID", "Companies"}, {"contactID", "Contacts"}, {"contractID", "Contracts"},
        {"configurationItemID", "ConfigurationItems"}},
       "createDate",
       {"lastActivityDate", "lastTrackedModificationDateTime"}},
      {"Companies", "Company", true, "", "", "", false,
       {"companyName", "companyType"},
       {{"companyName", 100}, {"companyNumber", 50}, {"phone", 25}},
       {{"companyType", {{1, "Customer"}, {2, "Lead"}, {3, "Prospect"}, {4, "Dead"}, {6, "Cancellation"},
                         {7, "Vendor"}, {8, "Partner"}}}},
       {{"parentCompanyID", "Companies"}},
       "createDate",
       {"lastActivityDate", "lastTrackedModifiedDateTime"}},
      {"Contacts", "Contact", false, "Companies", "Contacts", "companyID", false,
       {"companyID", "firstName", "lastName", "isActive"},
       {{"firstName", 50}, {"lastName", 50}, {"emailAddress", 254}},
       {},
       {{"companyID", "Companies"}},
       "createDate",
       {"lastActivityDate", "lastModifiedDate"}},
      {"Contracts", "Contract", true, "", "", "", false,
       {"contractName", "companyID", "contractType", "startDate", "endDate", "status"},
       {{"contractName", 100}},
       {{"contractType", {{1, "Time & Materials"}, {3, "Fixed Price"}, {4, "Block Hours"}, {6, "Retainer"},
                          {7, "Recurring Service"}, {8, "Per Ticket"}}},
        {"status", {{0, "Inactive"}, {1, "Active"}}},
        // Sample billing periods: read the instance's labels, never these ids.
        {"contractPeriodType", {{1, "Monthly"}, {2, "Quarterly"}, {3, "Semi-Annual"}, {4, "Yearly"}}}},
       {{"companyID", "Companies"}, {"contactID", "Contacts"}},
       "",
       {"lastModifiedDateTime"}},
      {"ContractCharges", "ContractCharge", false, "Contracts", "Charges", "contractID", true,
       {"contractID", "name", "unitQuantity"},
       {{"name", 100}, {"description", 2000}, {"purchaseOrderNumber", 50}, {"internalPurchaseOrderNumber", 50}},
       {},
       {{"contractID", "Contracts"}},
       "createDate",
       {}},
      // A contract's recurring services, added through the contract (POST /Contracts/{id}/Services).
      {"ContractServices", "ContractService", false, "Contracts", "Services", "contractID", false,
       {"contractID", "serviceID", "unitPrice"},
       {{"invoiceDescription", 1000}, {"internalDescription", 100}},
       {},
       {{"contractID", "Contracts"}},
       "",
       {}},
      // The units of a contract service per billing period; Autotask computes them (query only).
      {"ContractServiceUnits", "ContractServiceUnit", false, "Contracts", "", "contractID", false,
       {"contractID", "contractServiceID", "units"},
       {},
       {},
       {{"contractID", "Contracts"}, {"contractServiceID", "ContractServices"}, {"vendorCompanyID", "Companies"}},
       "",
       {}},
      {"ConfigurationItems", "ConfigurationItem", true, "", "", "", false,
       {"companyID", "productID", "isActive"},
       {{"referenceTitle", 200}, {"referenceNumber", 50}, {"serialNumber", 100}},
       // Sample types: every instance defines its own configurationItemType picklist.
       {{"configurationItemType", {{1, "Server"}, {2, "Workstation"}, {3, "Network Device"}, {4, "Printer"}}}},
       {{"companyID", "Companies"}},
       "createDate",
       {"lastModifiedTime"}},
      // The product catalog, queried by the set-up lists (products for contract charges).
      {"Products", "Product", true, "", "", "", false,
       {"name", "isActive", "productBillingCodeID"},
       {{"name", 100}, {"description", 2000}, {"sku", 50}},
       {},
       {},
       "",
       {}},
      {"TicketNotes", "TicketNote", false, "Tickets", "Notes", "ticketID", false,
       {"ticketID", "title", "description", "noteType", "publish"},
       {{"title", 250}, {"description", 32000}},
       {{"publish", {{1, "All Autotask Users"}, {2, "Internal Only"}}}},
       {{"ticketID", "Tickets"}},
       "createDateTime",
       {"lastActivityDate"}},
  });
  return k;
}

const AtEntity* at_entity(std::string_view name) {
  for (const auto& e : at_entities()) {
    if (iequals(e.name, name)) return &e;
  }
  return nullptr;
}

const AtEntity* at_child_entity(std::string_view parent, std::string_view segment) {
  for (const auto& e : at_entities()) {
    if (!e.parent.empty() && iequals(e.parent, parent) && iequals(e.child_segment, segment)) return &e;
  }
  return nullptr;
}

std::string at_store_key(const AtEntity& entity) { return "autotask/" + std::string(entity.name); }

std::string_view at_field_name(const AtEntity& entity, std::string_view field) {
  for (const auto& f : autotask_fields(entity.name)) {
    if (iequals(f.name, field)) return f.name;
  }
  return {};
}

std::string_view at_field_type(const AtEntity& entity, std::string_view field) {
  for (const auto& f : autotask_fields(entity.name)) {
    if (f.name == field) return f.data_type;
  }
  return {};
}

std::vector<std::string> at_validate(const AtEntity& entity, Value& record, Store& store) {
  std::vector<std::string> errors;
  const std::string singular(entity.singular);
  // Known fields only, under their canonical spelling, with numbers coerced.
  Value::Object kept;
  for (auto& [key, value] : record.as_object()) {
    if (key == "userDefinedFields") {
      kept.emplace_back(key, std::move(value));
      continue;
    }
    const std::string_view name = at_field_name(entity, key);
    if (name.empty()) continue;  // Autotask ignores members its model does not have
    const std::string_view type = at_field_type(entity, name);
    if (is_integer_type(type) && value.is_string() && !value.as_string().empty()) {
      int64_t n = 0;
      const auto& s = value.as_string();
      const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec != std::errc{} || ptr != s.data() + s.size()) {
        errors.push_back("Value '" + s + "' is not valid for field " + std::string(name) + " (integer expected).");
        continue;
      }
      value = Value(n);
    } else if (is_integer_type(type) && value.is_number()) {
      const double d = value.as_number();
      if (!value.is_int() && (std::floor(d) != d || std::fabs(d) > 9.2e18)) {
        errors.push_back("Value is not valid for field " + std::string(name) + " (integer expected).");
        continue;
      }
      if (!value.is_int()) value = Value(static_cast<int64_t>(d));
    } else if (is_decimal_type(type) && value.is_string() && !value.as_string().empty()) {
      char* end = nullptr;
      const double d = std::strtod(value.as_string().c_str(), &end);
      if (end == nullptr || *end != '\0' || !std::isfinite(d)) {
        errors.push_back("Value '" + value.as_string() + "' is not valid for field " + std::string(name) + ".");
        continue;
      }
      value = Value(d);
    } else if (type == "datetime" && value.is_string() && !value.as_string().empty() &&
               !parse_rfc3339(value.as_string()).ok() && !is_valid_date(value.as_string())) {
      errors.push_back("Value '" + value.as_string() + "' is not a valid date for field " + std::string(name) + ".");
      continue;
    }
    bool replaced = false;
    for (auto& [k, v] : kept) {
      if (k == name) {
        v = std::move(value);
        replaced = true;
      }
    }
    if (!replaced) kept.emplace_back(std::string(name), std::move(value));
  }
  record = Value(std::move(kept));
  if (!errors.empty()) return errors;

  for (const auto field : entity.required) {
    if (missing(record.find(field))) {
      errors.push_back("Missing Required Field: " + std::string(field) + " (" + singular + ").");
    }
  }
  for (const auto& [field, max] : entity.max_lengths) {
    const Value* v = record.find(field);
    if (v && v->is_string() && v->as_string().size() > max) {
      errors.push_back(std::string(field) + " exceeds the maximum length of " + std::to_string(max) + " characters.");
    }
  }
  for (const auto& list : entity.picklists) {
    const Value* v = record.find(list.field);
    if (missing(v)) continue;
    bool found = false;
    for (const auto& pv : list.values) found = found || (v->is_number() && v->as_number() == pv.value);
    if (!found) {
      errors.push_back("Value " + v->dump() + " is not a valid picklist value for field " + std::string(list.field) + ".");
    }
  }
  for (const auto& ref : entity.references) {
    const Value* v = record.find(ref.field);
    if (missing(v) || !v->is_int()) continue;
    const AtEntity* target = at_entity(ref.entity);
    if (target && store.find(at_store_key(*target), v->as_int()) == nullptr) {
      errors.push_back("Invalid " + std::string(ref.field) + ": no " + std::string(target->singular) + " with id " +
                       std::to_string(v->as_int()) + ".");
    }
  }
  return errors;
}

std::string at_ticket_number(Store& store) {
  const std::string day = date_digits(at_now());
  std::string n = std::to_string(store.next_sequence("ticketNumber/" + day));
  if (n.size() < 4) n.insert(0, 4 - n.size(), '0');
  return "T" + day + "." + n;
}

void at_stamp(const AtEntity& entity, Value& record, Store& store, bool created) {
  const std::string now = at_now();
  if (created && !entity.create_date.empty()) record.set(entity.create_date, now);
  for (const auto field : entity.change_dates) record.set(field, now);
  if (entity.name == "Tickets") {
    if (created) record.set("ticketNumber", at_ticket_number(store));
    // completedDate follows the Complete status (5), like Autotask sets and clears it.
    const Value* status = record.find("status");
    const bool complete = status && status->is_number() && status->as_number() == 5;
    const Value* completed = record.find("completedDate");
    if (!complete) record.set("completedDate", nullptr);
    else if (missing(completed)) record.set("completedDate", now);
  }
}

Value at_entity_information(const AtEntity& entity) {
  const bool creatable = true;
  return Value::Object{{"info", Value::Object{{"name", entity.singular},
                                              {"canCreate", creatable},
                                              {"canDelete", entity.can_delete},
                                              {"canQuery", true},
                                              {"canUpdate", true},
                                              {"hasUserDefinedFields", entity.name != "ContractCharges"},
                                              {"supportsWebhookCallouts",
                                               entity.name == "Tickets" || entity.name == "Companies" ||
                                                   entity.name == "Contacts" || entity.name == "ConfigurationItems" ||
                                                   entity.name == "TicketNotes"}}}};
}

Value at_entity_fields(const AtEntity& entity) {
  Value::Array fields;
  for (const auto& f : autotask_fields(entity.name)) {
    bool required = false;
    for (const auto r : entity.required) required = required || r == f.name;
    std::string_view reference;
    for (const auto& ref : entity.references) {
      if (ref.field == f.name) reference = ref.entity;
    }
    size_t length = 0;
    for (const auto& [field, max] : entity.max_lengths) {
      if (field == f.name) length = max;
    }
    const AtPicklist* list = picklist(entity, f.name);
    Value values = nullptr;
    if (list != nullptr) {
      Value::Array items;
      int order = 0;
      for (const auto& pv : list->values) {
        items.push_back(Value::Object{{"value", std::to_string(pv.value)},
                                      {"label", pv.label},
                                      {"isDefaultValue", order == 0},
                                      {"sortOrder", ++order},
                                      {"parentValue", ""},
                                      {"isActive", true},
                                      {"isSystem", true}});
      }
      values = Value(std::move(items));
    }
    const bool read_only = f.name == "id" || f.name == entity.create_date || f.name == "ticketNumber" ||
                           std::find(entity.change_dates.begin(), entity.change_dates.end(), f.name) !=
                               entity.change_dates.end();
    fields.push_back(Value::Object{{"name", f.name},
                                   {"dataType", f.data_type},
                                   {"length", static_cast<int64_t>(length)},
                                   {"isRequired", required},
                                   {"isReadOnly", read_only},
                                   {"isQueryable", true},
                                   {"isReference", !reference.empty()},
                                   {"referenceEntityType", reference},
                                   {"isPickList", list != nullptr},
                                   {"picklistValues", std::move(values)},
                                   {"picklistParentValueField", ""},
                                   {"isSupportedWebhookField", f.name != "id"}});
  }
  return Value::Object{{"fields", Value(std::move(fields))}};
}

}  // namespace switchyard::sandbox
