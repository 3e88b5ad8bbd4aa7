// HaloPSA's connection test: a token for the configured credentials (the first call gets one;
// a refusal comes back as "auth_suspended", which run_connection_test reports as the
// credentials check), then read access to every resource the connector polls, each missing
// one named with the API application permission to add; an administrator agent behind the
// application is a warning (privileges.cpp).
#include <algorithm>

#include "connectors/halopsa/halopsa_connector.h"

namespace switchyard::connectors::halopsa {
namespace {

struct Checked {
  std::string_view canonical;   // resource_of() key
  std::string_view name;        // check name: "permission:<name>"
  std::string_view permission;  // the application's permission, as Halo's screen names the area
};
constexpr Checked kChecked[] = {
    {"ticket", "tickets", "Tickets (read)"},
    {"company", "clients", "Customers (read)"},
    {"contact", "users", "Users (read)"},
    {"configuration", "assets", "Assets (read)"},
    {"agreement", "contracts", "Contracts (read)"},
    // Sites sit under the customers area of Halo's permission screen.
    {"site", "sites", "Customers (read)"},
};

}  // namespace

Result<ConnectionReport> HaloConnector::test_connection(const Tenant& tenant, PsaHttp& http) const {
  ConnectionReport report;
  const auto add = [&](std::string name, bool ok, std::string detail) {
    report.checks.push_back(ConnectionCheck{std::move(name), ok, std::move(detail)});
  };
  bool credentials_checked = false;
  for (const Checked& c : kChecked) {
    const Resource& resource = *resource_of(c.canonical);
    std::string url = api_url(tenant, resource.path);
    url.append("?pageinate=true&page_size=1&page_no=1");
    auto answer = http.send({.method = "GET", .url = std::move(url), .headers = {{"Accept", "application/json"}}});
    if (!answer) return answer.error();  // unreachable, throttled or credentials refused: no verdict here
    if (!credentials_checked && answer->status != 401) {
      add("credentials", true, "HaloPSA issued an access token for the API application");
      credentials_checked = true;
    }
    std::string name = "permission:";
    name.append(c.name);
    std::string detail;
    if (answer->status == 200) {
      detail.append("the API application can read ").append(c.name);
      add(std::move(name), true, std::move(detail));
    } else if (answer->status == 401 || answer->status == 403) {
      detail.append("the API application cannot read ").append(c.name)
          .append(": in HaloPSA, Configuration > Integrations > HaloPSA API > the application > Permissions, allow ")
          .append(c.permission).append(" (and check its agent may see them)");
      add(std::move(name), false, std::move(detail));
    } else if (answer->status == 404) {
      detail.append("HaloPSA has no /api/").append(resource.path).append(" here: the module may not be enabled");
      add(std::move(name), false, std::move(detail));
    } else {
      std::string message = "HaloPSA answered ";
      message.append(std::to_string(answer->status)).append(" to /api/").append(resource.path);
      return make_error("psa_unavailable", std::move(message));
    }
  }
  auto warnings = privilege_warnings(tenant, http);
  if (!warnings) return warnings.error();
  report.warnings = std::move(*warnings);
  report.ok = std::all_of(report.checks.begin(), report.checks.end(), [](const auto& c) { return c.ok; });
  return report;
}

}  // namespace switchyard::connectors::halopsa
