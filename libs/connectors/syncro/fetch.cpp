// One Syncro record by canonical type and id (GET /<list>/<id> → {"<one member>": {...}}), as a
// Change with the poll's version (its updated_at), so a fetched record and a polled one dedup.
#include <charconv>

#include "common/json_read.h"
#include "connectors/syncro/errors.h"
#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {

std::vector<std::string_view> SyncroConnector::fetchable_entities() const {
  return {"ticket", "company", "contact", "configuration", "agreement"};  // resource_of's types
}

Result<Change> SyncroConnector::fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                                             std::string_view id) const {
  const Resource* resource = resource_of(entity);
  if (!resource) return make_error("unsupported_entity", "syncro: cannot fetch \"" + std::string(entity) + "\"");
  int64_t number = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (id.empty() || ec != std::errc{} || end != id.data() + id.size() || number < 1) {
    return make_error("invalid_argument", "syncro: \"" + std::string(id) + "\" is not a record id");
  }
  std::string path(resource->path);
  path.append("/").append(std::to_string(number));
  auto response = http.send({.method = "GET", .url = api_url(tenant, path), .headers = api_headers(tenant)});
  if (!response) return response.error();
  const std::string what = "reading " + std::string(resource->one_member) + " " + std::to_string(number);
  if (response->status == 404) return make_error(std::string(kRecordNotFound), "Syncro has no " + what.substr(8));
  if (response->status != 200) return make_error("psa_error", explain_error(*response, what, resource->read_permission));
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(response->body)[resource->one_member].get(record) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "syncro: " + what + ": the answer has no \"" + std::string(resource->one_member) + "\" object");
  }
  auto changed = json::required_string(record, "updated_at", "");
  if (!changed) return changed.error();
  const auto version = syncro_time(*changed);
  if (!version) return json::invalid_field("updated_at", "not a date-time");
  return Change{std::string(entity), std::to_string(number), "updated", *version, std::string(simdjson::minify(record))};
}

}  // namespace switchyard::connectors::syncro
