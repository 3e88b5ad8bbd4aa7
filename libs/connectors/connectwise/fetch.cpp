// One ConnectWise record by canonical type and id (GET /<collection>/<id>), as a Change with
// the version a poll of it carries (_info.lastUpdated), so a fetched copy and a polled one
// dedup. Used by imports by id (POST /v1/tenants/{t}/sync "records").
#include <algorithm>

#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/connectwise/errors.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::connectwise {

std::vector<std::string_view> ConnectWiseConnector::fetchable_entities() const {
  // Notes and additions live below their parent: no path by their own id.
  return {"ticket", "company", "contact", "agreement", "configuration"};
}

Result<Change> ConnectWiseConnector::fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                                                  std::string_view id) const {
  const std::vector<std::string_view> fetchable = fetchable_entities();
  if (std::ranges::find(fetchable, entity) == fetchable.end()) {
    return not_supported("fetching a " + std::string(entity) + " record");
  }
  if (!is_numeric_id(id)) return make_error("invalid_id", "connectwise: a record id is a number");
  std::string path(collection_of(entity));
  path.append("/").append(id);
  auto response = http.send({.method = "GET", .url = tenant.base_url + "/" + path, .headers = auth_headers(tenant)});
  if (!response) return response.error();
  std::string what = "reading ";
  what.append(path);
  if (response->status == 404) {
    return make_error(std::string(kRecordNotFound), "ConnectWise has no " + std::string(entity) + " " + std::string(id));
  }
  if (response->status != 200) return make_error("psa_error", explain_error(*response, what, ""));
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(response->body).get(record) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "connectwise: " + what + ": not a JSON object");
  }
  auto info = json::optional_object(record, "_info", "");
  if (!info) return info.error();
  if (!*info) return json::missing_field("_info.lastUpdated");
  auto updated = json::required_string(**info, "lastUpdated", "_info");
  if (!updated) return updated.error();
  auto version = normalize_rfc3339(*updated);
  if (!version) return make_error("invalid_payload", "connectwise: " + what + ": _info.lastUpdated is not a date-time");
  return Change{std::string(entity), std::string(id), "updated", *version, std::string(simdjson::minify(record))};
}

}  // namespace switchyard::connectors::connectwise
