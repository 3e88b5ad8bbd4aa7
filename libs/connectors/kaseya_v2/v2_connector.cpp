#include "connectors/kaseya_v2/v2_connector.h"

#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

auth::PasswordTokenExchangeSettings token_settings(const Flavor& flavor) {
  auth::PasswordTokenExchangeSettings s;
  s.token_url = [](const Tenant& tenant) { return api_url(tenant, "security/authenticate"); };
  s.username_credential = std::string(kUserName);
  s.password_credential = std::string(kPassword);
  s.company_credential = std::string(kCompany);
  s.advice = std::string(flavor.credentials_advice);
  return s;
}

}  // namespace

V2Connector::V2Connector(Flavor flavor) : flavor_(flavor), tokens_(token_settings(flavor)) {}

http::Headers json_headers() { return {{"Accept", "application/json"}}; }

Result<canonical::Record> V2Connector::map_to_canonical(const Envelope& e, simdjson::dom::parser& parser,
                                                        const MappingLookup& mappings) const {
  const std::string psa(flavor_.psa);
  if (!resource_of(e.entity)) return make_error("unsupported_entity", psa + ": no mapping for entity \"" + e.entity + "\"");
  // A webhook names the record only; its full record follows as a fetched envelope.
  if (e.source == "webhook") return make_error(std::string(kSuperseded), psa + ": the fetched record follows");
  if (e.action == "deleted") return make_error("unsupported_entity", psa + ": no mapping for a deletion yet");
  simdjson::dom::element root;
  if (parser.parse(e.body).get(root) != simdjson::SUCCESS) return make_error("invalid_json", "body: not valid JSON");
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return make_error("invalid_payload", "body: must be a JSON object");
  return map_record(flavor_.psa, e.tenant, e.entity, obj, mappings, e.received_at);
}

std::vector<std::string_view> V2Connector::fetchable_entities() const {
  std::vector<std::string_view> types;
  for (std::string_view type : {"ticket", "company", "contact", "agreement", "configuration"}) {
    if (const Resource* r = resource_of(type); r && !r->one_path.empty()) types.push_back(type);
  }
  return types;
}

Result<Change> V2Connector::fetch_record(const Tenant& tenant, PsaHttp& http, std::string_view entity,
                                         std::string_view id) const {
  const Resource* resource = resource_of(entity);
  if (!resource || resource->one_path.empty()) return not_supported("fetching a " + std::string(entity) + " record");
  if (id.empty() || id.size() > 20 || id.find_first_not_of("0123456789") != std::string_view::npos) {
    return make_error("invalid_argument", std::string(flavor_.psa) + ": a record id is a number");
  }
  std::string url = api_url(tenant, resource->one_path);
  url.append("/").append(id);
  auto response = http.send({.method = "GET", .url = std::move(url), .headers = json_headers()});
  if (!response) return response.error();
  simdjson::dom::parser parser;
  std::string what = "reading one of the ";
  what.append(resource->label);
  const Answer answer = read_answer(parser, *response, flavor_, what, resource->permission);
  if (!answer.ok && answer.code == 404) return make_error(std::string(kRecordNotFound), answer.detail);
  if (!answer.ok) return make_error("psa_error", answer.detail);
  simdjson::dom::object record;
  if (answer.result.get(record) != simdjson::SUCCESS) {
    return make_error("invalid_payload", std::string(flavor_.psa) + ": the record is not a JSON object");
  }
  const std::string body = simdjson::minify(answer.result);
  return Change{std::string(entity), std::string(id), "updated", version_of(*resource, record, body), body};
}

}  // namespace switchyard::connectors::kaseya_v2
