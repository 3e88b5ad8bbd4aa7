// One Autotask record by id (GET /V1.0/{Entity}/{id} → {"item": {...}}), as a Change with the
// version a poll of it would carry, so the fetched copy and the polled one dedup. Completes a
// partial webhook (docs/psa/autotask.md#4-webhooks).
#include <simdjson.h>

#include "common/crypto.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/webhook_entities.h"
#include "connectors/autotask/zone.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::autotask {

std::vector<std::string_view> AutotaskConnector::fetchable_entities() const {
  std::vector<std::string_view> types;
  for (const WebhookEntity& e : webhook_entities()) types.push_back(e.type);
  return types;
}

Result<Change> AutotaskConnector::fetch_record(const Tenant& tenant, PsaHttp& psa, std::string_view entity,
                                               std::string_view id) const {
  ZoneHttp http(tenant, psa);  // to the tenant's zone (zone.h)
  const WebhookEntity* e = webhook_entity_by_type(entity);
  if (e == nullptr) return not_supported("fetching a " + std::string(entity) + " record");
  if (!is_numeric_id(id)) return make_error("invalid_id", "autotask: record id \"" + std::string(id.substr(0, 32)) + "\" is not a number");
  const std::string path = "/V1.0/" + std::string(e->rest_name) + "/" + std::string(id);
  auto response = http.send({.method = "GET", .url = tenant.base_url + path, .headers = auth_headers(tenant)});
  if (!response) return response.error();
  const std::string what = "autotask answered " + std::to_string(response->status) + " to GET " + path;
  if (response->status == 404) return make_error(std::string(kRecordNotFound), what + ": the record no longer exists");
  if (response->status != 200) return make_error("psa_error", what);
  simdjson::dom::parser parser;
  simdjson::dom::element root, item;
  if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["item"].get(item) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "autotask GET " + path + ": no item");
  }
  // Autotask answers a missing id with {"item": null}.
  simdjson::dom::object record;
  if (item.is_null() || item.get(record) != simdjson::SUCCESS) {
    return make_error(std::string(kRecordNotFound), "autotask has no " + std::string(e->rest_name) + " record " + std::string(id));
  }
  std::string body(simdjson::minify(item));
  std::optional<std::string> version = change_version(*e, record);
  return Change{std::string(e->type), std::string(id), "updated",
                version ? *version : "body:" + crypto::sha256_hex(body), std::move(body)};
}

}  // namespace switchyard::connectors::autotask
