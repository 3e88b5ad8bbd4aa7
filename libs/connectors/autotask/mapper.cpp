// Autotask records → canonical v1.1 (docs/psa/autotask.md#6-mapping). Webhook envelopes are read
// in webhook.cpp, polling in poller.cpp. Autotask sends picklist values as ids; their labels come
// from the tenant's label tables (label_tables.cpp, through MappingLookup::label), and the id
// stands in for the name until they are known.
#include <simdjson.h>

#include <cmath>

#include "common/billing_period.h"
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/fields.h"

namespace switchyard::connectors::autotask {
namespace {

using simdjson::dom::object;

// A picklist field: its label (or the id, until the label is known) and its id.
struct Pick {
  std::optional<std::string> name;
  std::optional<std::string> id;
};

Pick pick(object r, std::string_view type, std::string_view field, const MappingLookup& m) {
  auto id = text_of(r, field);
  if (!id) return {};
  std::string table(type);
  table.append(".").append(field);
  auto label = m.label(table, *id);
  return {label ? label : id, id};
}

// A reference whose name is a picklist label (a ticket's queue).
std::optional<canonical::Ref> picked_ref(object r, std::string_view type, std::string_view field,
                                         const MappingLookup& m) {
  auto ref = ref_of(r, field);
  if (!ref) return ref;
  std::string table(type);
  table.append(".").append(field);
  ref->name = m.label(table, ref->id);  // a reference's name stays unset without a label
  return ref;
}

void push_nonempty(std::vector<std::string>& out, const std::optional<std::string>& v) {
  if (v && !v->empty()) out.push_back(*v);
}

canonical::Ticket map_ticket(canonical::RecordBase base, object r, const MappingLookup& m) {
  auto t = canonical::with_base<canonical::Ticket>(std::move(base));
  t.title = text_of(r, "title").value_or("");
  t.description = text_of(r, "description");
  auto status = pick(r, "ticket", "status", m);
  t.status = status.name;
  t.status_id = status.id;
  auto priority = pick(r, "ticket", "priority", m);
  t.priority = priority.name;
  t.priority_id = priority.id;
  t.board = picked_ref(r, "ticket", "queueID", m);
  t.company = ref_of(r, "companyID");
  t.contact = ref_of(r, "contactID");
  t.external_ref = text_of(r, "externalID");
  t.created_at = time_of(r, "createDate");
  t.closed_at = time_of(r, "completedDate");
  t.closed = t.closed_at.has_value();
  auto type = pick(r, "ticket", "ticketType", m);
  t.type = type.name;
  t.type_id = type.id;
  auto issue = pick(r, "ticket", "issueType", m);
  t.issue_type = issue.name;
  t.issue_type_id = issue.id;
  auto sub_issue = pick(r, "ticket", "subIssueType", m);  // beneath the issue type
  t.subtype = sub_issue.name;
  t.subtype_id = sub_issue.id;
  auto source = pick(r, "ticket", "source", m);
  t.channel = source.name;
  t.channel_id = source.id;
  return t;
}

canonical::Company map_company(canonical::RecordBase base, object r, const MappingLookup& m) {
  auto c = canonical::with_base<canonical::Company>(std::move(base));
  c.name = text_of(r, "companyName").value_or("");
  c.identifier = text_of(r, "companyNumber");
  c.active = flag_of(r, "isActive", true);
  c.phone = text_of(r, "phone");
  c.website = text_of(r, "webAddress");
  c.parent = ref_of(r, "parentCompanyID");
  auto type = pick(r, "company", "companyType", m);
  if (type.id) {
    c.types.push_back(*type.name);
    c.type_ids.push_back(*type.id);
    // The tenant's mapping may name the type by id or by label.
    c.classification = m.resolve("company_classification", *type.id);
    if (!c.classification && type.name != type.id) c.classification = m.resolve("company_classification", *type.name);
  }
  if (auto address = address_of(r)) c.addresses.push_back(std::move(*address));
  return c;
}

canonical::Contact map_contact(canonical::RecordBase base, object r) {
  auto c = canonical::with_base<canonical::Contact>(std::move(base));
  c.first_name = text_of(r, "firstName");
  c.last_name = text_of(r, "lastName");
  c.company = ref_of(r, "companyID");
  for (std::string_view key : {"emailAddress", "emailAddress2", "emailAddress3"}) push_nonempty(c.emails, text_of(r, key));
  for (std::string_view key : {"phone", "mobilePhone", "alternatePhone"}) push_nonempty(c.phones, text_of(r, key));
  c.active = flag_of(r, "isActive", true);
  return c;
}

// What configuration.upsert wrote in a device's notes ("Vendor device: ...", configuration_writer.cpp),
// read back on the devices Switchyard pushed (referenceNumber "sy:...").
void read_vendor_notes(object r, canonical::Configuration& c) {
  auto reference = text_of(r, "referenceNumber");
  auto notes = text_of(r, "notes");
  if (!reference || !reference->starts_with("sy:") || !notes) return;
  std::optional<std::string> device, link;
  std::string_view rest = *notes;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    const auto value = [&](std::string_view label) -> std::optional<std::string> {
      if (!line.starts_with(label) || line.size() <= label.size() + 2) return std::nullopt;
      return std::string(line.substr(label.size() + 2));
    };
    if (auto v = value("Vendor device")) device = v;
    else if (auto v = value("Vendor link")) link = v;
    else if (auto v = value("Purchased"); v && is_valid_date(*v)) c.purchase_date = v;
    else if (auto v = value("Last seen")) {
      if (auto t = normalize_rfc3339(*v)) c.last_seen_at = *t;
    }
  }
  if (device) c.vendor_ref = canonical::VendorRef{*device, link};
}

canonical::Configuration map_configuration(canonical::RecordBase base, object r, const MappingLookup& m) {
  auto c = canonical::with_base<canonical::Configuration>(std::move(base));
  // referenceTitle is the device's name; an RMM-made item may have only its hostname or serial.
  for (std::string_view key : {"referenceTitle", "rmmDeviceAuditHostname", "serialNumber"}) {
    auto v = text_of(r, key);
    if (v && !v->empty()) {
      c.name = *v;
      break;
    }
  }
  if (c.name.empty()) c.name = "Configuration item " + c.source.id;
  auto type = pick(r, "configuration", "configurationItemType", m);
  c.type = type.name;
  c.type_id = type.id;
  c.company = ref_of(r, "companyID");
  c.serial_number = text_of(r, "serialNumber");
  c.active = flag_of(r, "isActive", true);
  c.warranty_expiry_date = date_of(r, "warrantyExpirationDate");
  read_vendor_notes(r, c);
  return c;
}

// One contract service's price per period: the price of its units in force (ContractServiceUnits
// "price", which the poller reads with the service as "periodPrice"), else its unit price times
// those units (1 when unknown).
std::optional<double> period_price(object service) {
  if (auto price = number_of(service, "periodPrice")) return price;
  auto price = number_of(service, "unitPrice");
  if (!price) return std::nullopt;
  return *price * number_of(service, "units").value_or(1);
}

// The vendor of a contract: the vendor company (ContractServiceUnits.vendorCompanyID, read with
// each service) its services share.
// Services of different vendors, or none with a vendor, leave it unset: never a default.
std::optional<canonical::Ref> services_vendor(simdjson::dom::array services) {
  std::optional<std::string> vendor;
  for (simdjson::dom::element s : services) {
    object service;
    if (s.get(service) != simdjson::SUCCESS) continue;
    auto id = ref_of(service, "vendorCompanyID");
    if (!id) continue;
    if (vendor && *vendor != id->id) return std::nullopt;
    vendor = id->id;
  }
  if (!vendor) return std::nullopt;
  return canonical::Ref{*vendor, std::nullopt};
}

// The default contractType picklist names Recurring Service 7 (docs/psa/autotask.md).
constexpr std::string_view kRecurringServiceLabel = "Recurring Service";
constexpr std::string_view kRecurringServiceId = "7";

canonical::Agreement map_agreement(canonical::RecordBase base, object r, const MappingLookup& m) {
  auto a = canonical::with_base<canonical::Agreement>(std::move(base));
  a.name = text_of(r, "contractName").value_or("");
  auto type = pick(r, "agreement", "contractType", m);
  a.type = type.name;
  a.type_id = type.id;
  a.company = ref_of(r, "companyID");
  auto status = pick(r, "agreement", "status", m);
  a.status = status.name;
  a.status_id = status.id;
  a.start_date = date_of(r, "startDate");
  a.end_date = date_of(r, "endDate");
  auto cycle = pick(r, "agreement", "contractPeriodType", m);
  a.billing_cycle = cycle.name;
  a.billing_cycle_id = cycle.id;
  // A label that was read wins; without labels, the stock id of Recurring Service decides.
  if (type.id) a.recurring = type.name != type.id ? *type.name == kRecurringServiceLabel : *type.id == kRecurringServiceId;
  simdjson::dom::array services;
  const bool has_services = r["contractServices"].get(services) == simdjson::SUCCESS;
  if (has_services) a.vendor = services_vendor(services);
  // The recurring value: what the contract's services bill per period.
  if (a.recurring.value_or(false) && has_services) {
    double total = 0;
    bool any = false;
    for (simdjson::dom::element s : services) {
      object service;
      if (s.get(service) != simdjson::SUCCESS) continue;
      if (auto price = period_price(service)) {
        total += *price;
        any = true;
      }
    }
    if (any) a.bill_amount = std::round(total * 100) / 100;
  }
  // The period needs the cycle's label; other contract types (time and materials, block hours,
  // ...) bill as work is done, not per period, so they have none.
  if (a.recurring.value_or(false) && a.billing_cycle && a.billing_cycle != a.billing_cycle_id) {
    const auto period = canonical::billing_period_from_text(*a.billing_cycle);
    a.billing_period = std::string(canonical::billing_period_name(period));
    if (a.bill_amount) a.monthly_amount = canonical::monthly_amount(*a.bill_amount, period);
  }
  return a;
}

bool maps_entity(std::string_view type) {
  return type == "ticket" || type == "company" || type == "contact" || type == "configuration" ||
         type == "agreement";
}

}  // namespace

Result<canonical::Record> map_record(std::string_view tenant_id, std::string_view type, object r,
                                     const MappingLookup& mappings, const RecordOverlay* overlay) {
  canonical::RecordBase base;
  base.tenant = std::string(tenant_id);
  auto id = overlay ? std::optional<std::string>(overlay->id) : text_of(r, "id");
  if (!id) return json::missing_field("id");
  base.source = canonical::SourceRef{"autotask", std::string(entity_of(type)), *id};
  // A time field, the overlay's value first (the mappers below read neither it nor the id).
  const auto time_in = [&](std::string_view key) -> std::optional<std::string> {
    if (overlay == nullptr || !overlay->changed_at || key != overlay->changed_at_field) return time_of(r, key);
    auto normalized = normalize_rfc3339(*overlay->changed_at);
    return normalized ? std::optional<std::string>(*normalized) : std::nullopt;
  };
  // The entity's change stamp, else lastActivityDate (webhooks stamp it), else its creation.
  const std::string_view stamp = change_field(type);
  if (!stamp.empty()) base.updated_at = time_in(stamp).value_or("");
  if (base.updated_at.empty()) base.updated_at = time_in("lastActivityDate").value_or("");
  if (base.updated_at.empty()) base.updated_at = time_in("createDate").value_or("");
  if (base.updated_at.empty()) return json::missing_field(stamp.empty() ? "lastActivityDate" : stamp);
  read_user_defined_fields(r, base);
  if (type == "ticket") return canonical::Record{map_ticket(std::move(base), r, mappings)};
  if (type == "company") return canonical::Record{map_company(std::move(base), r, mappings)};
  if (type == "contact") return canonical::Record{map_contact(std::move(base), r)};
  if (type == "configuration") return canonical::Record{map_configuration(std::move(base), r, mappings)};
  if (type == "agreement") return canonical::Record{map_agreement(std::move(base), r, mappings)};
  return make_error("unsupported_entity", "autotask: no mapping for entity \"" + std::string(type) + "\"");
}

Result<canonical::Record> AutotaskConnector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                              const MappingLookup& mappings) const {
  // Checked first: a deletion maps without looking at the body, and must not turn an envelope
  // of another type (any producer can write to the raw topic) into a ticket. Webhook envelopes
  // go to webhook.cpp, which knows the entities Autotask sends webhooks for.
  if (!maps_entity(e.entity)) {
    return make_error("unsupported_entity", "autotask: no mapping for entity \"" + e.entity + "\"");
  }
  simdjson::dom::element root;
  object obj;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS || root.get(obj) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "body: must be a JSON object");
  }
  if (is_polled(e)) return map_record(e.tenant, e.entity, obj, mappings);
  return map_webhook(e, obj, mappings);
}

std::optional<std::string> record_id_text(object record) { return text_of(record, "id"); }

std::optional<std::string> record_version(object record) { return version_of(record); }

}  // namespace switchyard::connectors::autotask
