// What GET /v2/security/userinfo says of the API user beyond Switchyard's needs
// (docs/psa/kaseya-bms.md, docs/psa/pulseway.md: "Permissions (least privilege)"). The spec's
// UserInfoOutputDto carries IsUserSystemAdmin, the one flag it names in words; its
// UserAccessRights are keyed by menu ids the spec does not name, so they are not judged.
#include "connectors/kaseya_v2/v2_connector.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_v2 {

Result<std::vector<ConnectionWarning>> V2Connector::privilege_warnings(const Tenant& tenant, PsaHttp& http) const {
  std::vector<ConnectionWarning> out;
  auto response = http.send({.method = "GET", .url = api_url(tenant, "security/userinfo"), .headers = json_headers()});
  if (!response) return response.error();
  simdjson::dom::parser parser;
  const Answer answer = read_answer(parser, *response, flavor_, "reading the API user", "");
  simdjson::dom::object user;
  // Not readable here (an older server, a refusal): nothing can be judged, and nothing fails.
  if (!answer.ok || answer.result.get(user) != simdjson::SUCCESS) return out;
  if (flag(user, "IsUserSystemAdmin").value_or(false)) {
    std::string message(flavor_.product);
    message.append(" says the API user is a system administrator: give it a role with only the access in the "
                   "set-up guide's \"Permissions (least privilege)\", under ")
        .append(flavor_.roles_screen);
    out.push_back({std::string(kPrivilegeAdmin), std::move(message)});
  }
  return out;
}

}  // namespace switchyard::connectors::kaseya_v2
