// configuration.upsert → an Autotask ConfigurationItem (a "device"). Like a ticket, it is found
// before it is made: the memo, then a query on referenceNumber, which carries the vendor's
// reference (sy_reference). docs/psa/autotask.md says why referenceNumber and what goes where.
#include "common/json_writer.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/picklists.h"
#include "connectors/autotask/write_calls.h"
#include "connectors/autotask/writers.h"

namespace switchyard::connectors::autotask {
namespace {

// What Autotask has no field for (purchase date, last seen, the vendor's link), as lines of the
// item's notes, which Switchyard owns on the items it pushes. Empty when there is none.
std::string vendor_notes(const ConfigurationUpsert& cmd) {
  std::string notes;
  const auto line = [&](std::string_view label, const std::optional<std::string>& v) {
    if (v) notes += std::string(label) + ": " + *v + "\n";
  };
  if (cmd.vendor_ref) {
    line("Vendor device", cmd.vendor_ref->id);
    line("Vendor link", cmd.vendor_ref->url);
  }
  line("Purchased", cmd.purchase_date);
  line("Last seen", cmd.last_seen_at);
  if (!notes.empty()) notes.pop_back();
  return notes;
}

// The fields a create and an update both send.
void write_common(JsonWriter& w, const ConfigurationUpsert& cmd, const std::optional<std::string>& type_id) {
  w.field("referenceTitle", cmd.name);
  if (type_id) write_id(w, "configurationItemType", *type_id);
  if (cmd.serial_number) w.field("serialNumber", *cmd.serial_number);
  if (cmd.install_date) w.field("installDate", *cmd.install_date + "T00:00:00Z");
  if (cmd.warranty_expiry_date) w.field("warrantyExpirationDate", *cmd.warranty_expiry_date + "T00:00:00Z");
  if (const std::string notes = vendor_notes(cmd); !notes.empty()) w.field("notes", notes);
}

}  // namespace

WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  std::optional<std::string> type_id;
  if (cmd.type) {
    PicklistResolver items(psa, t, mappings, "ConfigurationItems");
    type_id = items.resolve("configurationItemType", "configuration_type", *cmd.type, "payload.type", failure);
    if (failure) return *failure;
  }
  const std::string reference = sy_reference(cmd.external_ref);
  const auto existing = existing_record(psa, t, memo, "configuration", cmd.external_ref, "ConfigurationItems",
                                        {{"referenceNumber", reference}}, failure);
  if (failure) return *failure;
  JsonWriter w;
  w.begin_object();
  if (existing) {
    // companyID is left out: Autotask ignores it on update (an item never changes owner).
    write_id(w, "id", *existing);
    write_common(w, cmd, type_id);
    w.end_object();
    auto call = send(psa, t, "PATCH", "/V1.0/ConfigurationItems", w.take());
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }
  const std::string company = cmd.company_id.value_or(option_or(t, "default_company_id", ""));
  if (company.empty()) {
    return WriteOutcome::rejected("payload.company_id: required (tenant " + t.id + " has no options.default_company_id)");
  }
  const std::string product = option_or(t, "configuration_product_id", "");
  if (product.empty()) {
    return WriteOutcome::rejected("tenant " + t.id + " has no options.configuration_product_id: Autotask needs a "
                                  "product for every configuration item");
  }
  write_id(w, "companyID", company);
  write_id(w, "productID", product);
  w.field("isActive", true);
  w.field("referenceNumber", reference);
  write_common(w, cmd, type_id);
  w.end_object();
  auto call = send(psa, t, "POST", "/V1.0/ConfigurationItems", w.take());
  if (call.failure) return *call.failure;
  auto id = item_id_of(*call.response);
  if (!id) return WriteOutcome::retryable(id.error().message, call.response->status);
  memo.remember(t, "configuration", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::autotask
