// configuration.upsert → a ConnectWise configuration (a company's device or asset). The vendor's
// reference is the configuration's deviceIdentifier, and the link back to the vendor's product
// its managementLink, so it is found again (memo, then deviceIdentifier) and a redelivery
// updates rather than adds; the mapper reads both back as the canonical vendor_ref.
#include "common/json_writer.h"
#include "connectors/connectwise/references.h"
#include "connectors/connectwise/write_calls.h"
#include "connectors/write_values.h"
#include "connectors/connectwise/writers.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr std::string_view kGrant = "Companies › Configurations";
constexpr size_t kNameBytes = 100;

// The fields a create and an update both send (an update: only those the command carries).
void write_fields(JsonWriter& w, const ConfigurationUpsert& cmd, bool patch) {
  const auto put = [&](std::string_view field, const std::string& value) {
    if (patch) {
      w.begin_object().field("op", "replace").field("path", field).field("value", value).end_object();
    } else {
      w.field(field, value);
    }
  };
  put("name", cmd.name.substr(0, kNameBytes));
  if (cmd.serial_number) put("serialNumber", *cmd.serial_number);
  if (cmd.purchase_date) put("purchaseDate", *cmd.purchase_date + "T00:00:00Z");
  if (cmd.install_date) put("installationDate", *cmd.install_date + "T00:00:00Z");
  if (cmd.warranty_expiry_date) put("warrantyExpirationDate", *cmd.warranty_expiry_date + "T00:00:00Z");
  if (cmd.vendor_ref && cmd.vendor_ref->url) put("managementLink", *cmd.vendor_ref->url);
}

}  // namespace

WriteOutcome upsert_configuration(const Tenant& t, const ConfigurationUpsert& cmd, PsaHttp& psa, WriteMemo& memo,
                                  const MappingLookup& mappings) {
  std::optional<WriteOutcome> failure;
  std::optional<Reference> type;
  if (cmd.type) {
    type = reference_of(*cmd.type, "configuration_type", mappings, failure);
    if (failure) return *failure;
  } else if (const std::string fallback = option_or(t, "default_configuration_type_id"); !fallback.empty()) {
    type = id_reference(fallback);
  }
  std::optional<std::string> existing = memo.lookup(t, "configuration", cmd.external_ref);
  if (!existing) {
    existing = find_id(psa, t, "/company/configurations", "deviceIdentifier = " + condition_string(cmd.external_ref),
                       {"looking the configuration up by its device identifier", kGrant}, failure);
    if (failure) return *failure;
  }
  if (existing) {
    memo.remember(t, "configuration", cmd.external_ref, *existing);
    JsonWriter w;
    w.begin_array();
    write_fields(w, cmd, true);
    const auto replace_reference = [&](std::string_view path, const Reference& ref) {
      w.begin_object().field("op", "replace").field("path", path);
      write_reference(w, "value", ref);
      w.end_object();
    };
    if (type && cmd.type) replace_reference("type", *type);
    if (cmd.company_id) replace_reference("company", id_reference(*cmd.company_id));
    w.end_array();
    auto call = send(psa, t, "PATCH", "/company/configurations/" + *existing, w.take(),
                     {"updating the configuration", kGrant});
    if (call.failure) return *call.failure;
    return WriteOutcome::done(*existing, false);
  }

  if (!type) {
    return WriteOutcome::rejected("a ConnectWise configuration needs a type: send type, map it in the tenant's "
                                  "mappings.configuration_type, or set options.default_configuration_type_id");
  }
  const std::string company = cmd.company_id.value_or(option_or(t, "default_company_id"));
  if (company.empty()) {
    return WriteOutcome::rejected("a ConnectWise configuration needs a company: send company_id, or set "
                                  "options.default_company_id for the tenant");
  }
  JsonWriter w;
  w.begin_object();
  write_fields(w, cmd, false);
  w.field("deviceIdentifier", cmd.external_ref).field("activeFlag", true);
  write_reference(w, "type", *type);
  write_reference(w, "company", id_reference(company));
  w.end_object();
  auto call = send(psa, t, "POST", "/company/configurations", w.take(), {"creating the configuration", kGrant});
  if (call.failure) return *call.failure;
  const auto id = id_of(*call.response);
  if (!id) return WriteOutcome::retryable("ConnectWise created a configuration but its answer has no id");
  memo.remember(t, "configuration", cmd.external_ref, *id);
  return WriteOutcome::done(*id, true);
}

}  // namespace switchyard::connectors::connectwise
