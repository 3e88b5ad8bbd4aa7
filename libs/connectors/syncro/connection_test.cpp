// Syncro's connection test: the token is accepted (GET /me), then read access to every
// resource the connector polls, each missing one named with the API token permission to add;
// what /me says the token may do beyond that is a warning (privileges.cpp).
#include <algorithm>

#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {
namespace {

constexpr std::string_view kChecked[] = {"ticket", "company", "contact", "configuration", "agreement"};

}  // namespace

Result<ConnectionReport> SyncroConnector::test_connection(const Tenant& tenant, PsaHttp& http) const {
  ConnectionReport report;
  const auto add = [&](std::string name, bool ok, std::string detail) {
    report.checks.push_back(ConnectionCheck{std::move(name), ok, std::move(detail)});
  };
  auto me = http.send({.method = "GET", .url = api_url(tenant, "me"), .headers = api_headers(tenant)});
  if (!me) return me.error();  // unreachable or throttled: no verdict here
  if (me->status == 401 || me->status == 403) {
    add("credentials", false,
        "Syncro refused the API token: create one under Admin > API Tokens and put it in credentials.api_token");
    return report;
  }
  if (me->status != 200) {
    std::string message = "Syncro answered ";
    message.append(std::to_string(me->status)).append(" to /me");
    return make_error("psa_unavailable", std::move(message));
  }
  add("credentials", true, "Syncro accepted the API token");
  report.warnings = privilege_warnings(me->body);
  for (std::string_view canonical_type : kChecked) {
    const Resource& resource = *resource_of(canonical_type);
    std::string url = api_url(tenant, resource.path);
    url.append("?page=1");
    auto answer = http.send({.method = "GET", .url = std::move(url), .headers = api_headers(tenant)});
    if (!answer) return answer.error();
    std::string name = "permission:";
    name.append(resource.path);
    std::string detail;
    if (answer->status == 200) {
      detail.append("the API token can read ").append(resource.path);
      add(std::move(name), true, std::move(detail));
    } else if (answer->status == 401 || answer->status == 403) {
      detail.append("the API token cannot read ").append(resource.path)
          .append(": in Syncro, Admin > API Tokens > the token > Permissions, allow ").append(resource.read_permission);
      add(std::move(name), false, std::move(detail));
    } else {
      std::string message = "Syncro answered ";
      message.append(std::to_string(answer->status)).append(" to /").append(resource.path);
      return make_error("psa_unavailable", std::move(message));
    }
  }
  report.ok = std::all_of(report.checks.begin(), report.checks.end(), [](const auto& c) { return c.ok; });
  return report;
}

}  // namespace switchyard::connectors::syncro
