// The v2 connection test: a token for the configured API user (the first call gets one; a
// refusal comes back as "auth_suspended", which run_connection_test reports as the credentials
// check), then read access to every list the connector polls, each missing one named with the
// role area to grant. Errors inside a 200 envelope count as the refusals they report. An API
// user that is a system administrator is a warning (v2_privileges.cpp).
#include <algorithm>

#include "connectors/kaseya_v2/v2_connector.h"

namespace switchyard::connectors::kaseya_v2 {

Result<ConnectionReport> V2Connector::test_connection(const Tenant& tenant, PsaHttp& http) const {
  ConnectionReport report;
  const auto add = [&](std::string name, bool ok, std::string detail) {
    report.checks.push_back(ConnectionCheck{std::move(name), ok, std::move(detail)});
  };
  simdjson::dom::parser parser;
  bool credentials_checked = false;
  for (const std::string& entity : spec().pollable_entities) {
    const Resource& resource = *resource_of(entity);
    std::string url = api_url(tenant, resource.list_path);
    url.append("?PageNumber=1&PageSize=1");
    auto response = http.send({.method = "GET", .url = std::move(url), .headers = json_headers()});
    if (!response) return response.error();  // unreachable, throttled or credentials refused: no verdict here
    if (!credentials_checked) {
      std::string detail(flavor_.product);
      detail.append(" issued an access token for the API user");
      add("credentials", true, std::move(detail));
      credentials_checked = true;
    }
    std::string what = "reading ";
    what.append(resource.label);
    const Answer answer = read_answer(parser, *response, flavor_, what, resource.permission);
    std::string name = "permission:";
    name.append(entity);
    if (answer.ok) {
      std::string detail = "the API user can read ";
      detail.append(resource.label);
      add(std::move(name), true, std::move(detail));
    } else if (answer.code == 401 || answer.code == 403 || answer.code == 404) {
      add(std::move(name), false, answer.detail);
    } else {
      return make_error("psa_unavailable", answer.detail);
    }
  }
  auto warnings = privilege_warnings(tenant, http);
  if (!warnings) return warnings.error();
  report.warnings = std::move(*warnings);
  report.ok = std::all_of(report.checks.begin(), report.checks.end(), [](const auto& c) { return c.ok; });
  return report;
}

}  // namespace switchyard::connectors::kaseya_v2
