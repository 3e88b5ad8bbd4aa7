// What HaloPSA says of the API application's agent beyond Switchyard's needs (docs/psa/halopsa.md,
// "Permissions (least privilege)"): a client-credentials application acts as an agent, and
// GET /Agent/me answers that agent, whose "is_admin" (the spec's Uname schema) makes every
// application permission moot. The token's scope is not judged: Halo documents no scope
// narrower than "all", so the connector asks for "all" itself.
#include <simdjson.h>

#include "connectors/halopsa/halopsa_connector.h"

namespace switchyard::connectors::halopsa {

Result<std::vector<ConnectionWarning>> privilege_warnings(const Tenant& tenant, PsaHttp& http) {
  std::vector<ConnectionWarning> out;
  auto answer = http.send({.method = "GET", .url = api_url(tenant, "Agent/me"), .headers = {{"Accept", "application/json"}}});
  if (!answer) return answer.error();
  // Not readable here (no such route on an older Halo, a refusal): nothing can be judged.
  if (answer->status != 200) return out;
  simdjson::dom::parser parser;
  bool admin = false;
  if (parser.parse(answer->body).get_object()["is_admin"].get(admin) == simdjson::SUCCESS && admin) {
    out.push_back({std::string(kPrivilegeAdmin),
                   "HaloPSA says the API application acts as an administrator agent, which may do anything the "
                   "application's permissions leave out: pick a non-administrator agent under Configuration > "
                   "Integrations > HaloPSA API > the application (Login type Agent)"});
  }
  return out;
}

}  // namespace switchyard::connectors::halopsa
