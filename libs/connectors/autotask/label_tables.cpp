// The labels of the picklists canonical records name (Connector::label_tables): one
// GET /V1.0/{Entity}/entityInformation/fields per entity, its picklistValues (value, label,
// isActive) kept as "<canonical type>.<field>" → {value → label}. Inactive values are kept too:
// old records still carry them. The mapper reads them through MappingLookup::label.
#include <simdjson.h>

#include "common/text.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/zone.h"

namespace switchyard::connectors::autotask {
namespace {

struct PicklistSource {
  std::string_view type;    // canonical type, the table's prefix
  std::string_view entity;  // Autotask entity
  std::vector<std::string_view> fields;
};

const std::vector<PicklistSource>& sources() {
  static const std::vector<PicklistSource> k = {
      {"ticket", "Tickets", {"status", "priority", "queueID", "ticketType", "issueType", "subIssueType", "source"}},
      {"company", "Companies", {"companyType"}},
      {"agreement", "Contracts", {"contractType", "status", "contractPeriodType"}},
      {"configuration", "ConfigurationItems", {"configurationItemType"}},
  };
  return k;
}

bool wanted(const PicklistSource& source, std::string_view field) {
  for (auto f : source.fields) {
    if (f == field) return true;
  }
  return false;
}

// A picklist value's id as text: Autotask sends it as a string ("5"), some answers as a number.
std::optional<std::string> value_text(simdjson::dom::element v) {
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t n = 0;
  if (v.get(n) == simdjson::SUCCESS) return std::to_string(n);
  return std::nullopt;
}

}  // namespace

Result<LabelTables> AutotaskConnector::label_tables(const Tenant& tenant, PsaHttp& psa) const {
  ZoneHttp http(tenant, psa);
  LabelTables out;
  simdjson::dom::parser parser;
  for (const auto& source : sources()) {
    http::ClientRequest call{.method = "GET",
                             .url = tenant.base_url + "/V1.0/" + std::string(source.entity) + "/entityInformation/fields",
                             .headers = auth_headers(tenant)};
    auto response = http.send(call);
    if (!response) return response.error();
    if (response->status != 200) {
      return make_error("psa_error", "autotask answered " + std::to_string(response->status) + " to " +
                                         std::string(source.entity) + "/entityInformation/fields");
    }
    simdjson::dom::element root;
    simdjson::dom::array fields;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["fields"].get(fields) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "autotask " + std::string(source.entity) + " fields: no fields array");
    }
    for (simdjson::dom::element f : fields) {
      std::string_view name;
      simdjson::dom::array values;
      if (f["name"].get(name) != simdjson::SUCCESS || !wanted(source, name)) continue;
      if (f["picklistValues"].get(values) != simdjson::SUCCESS) continue;
      std::string table(source.type);
      table.append(".").append(name);
      auto& labels = out.tables[table];
      for (simdjson::dom::element v : values) {
        simdjson::dom::element value;
        std::string_view label;
        if (v["value"].get(value) != simdjson::SUCCESS || v["label"].get(label) != simdjson::SUCCESS) continue;
        auto id = value_text(value);
        if (!id || id->empty() || id->size() > kMaxLabelIdLength || label.empty()) continue;
        if (labels.size() >= kMaxLabelsPerTable) break;
        labels.emplace(std::move(*id), utf8_prefix(label, kMaxLabelLength));
      }
    }
  }
  return out;
}

}  // namespace switchyard::connectors::autotask
