// ConnectWise's connection test: the API keys and clientId (GET /system/info), the server's API
// version against the one Switchyard pins in Accept, and read access to every resource the
// connector uses, each explained in the words of ConnectWise's own screens; and, as warnings,
// what the member's security role allows beyond that (privileges.cpp).
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "common/text.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr size_t kMaxPsaMessage = 200;

// What the connector reads, and where an administrator grants it (System › Security Roles,
// the API member's role, Inquire level "All").
struct Resource {
  std::string_view name;    // check name: "permission:<name>"
  std::string_view path;    // below base_url
  std::string_view grant;   // the security role's module › item
};
constexpr Resource kResources[] = {
    {"tickets", "service/tickets", "Service Desk › Service Tickets"},
    {"companies", "company/companies", "Companies › Company Maintenance"},
    {"contacts", "company/contacts", "Companies › Contacts"},
    {"agreements", "finance/agreements", "Finance › Agreements"},
    {"configurations", "company/configurations", "Companies › Configurations"},
    {"callbacks", "system/callbacks", "System › Table Setup (callbacks)"},
};

// "v2025.8.101942" → 2025 * 1000 + 8; nullopt when unreadable.
std::optional<int> version_number(std::string_view text) {
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  int year = 0, minor = 0;
  if (std::sscanf(std::string(text).c_str(), "%d.%d", &year, &minor) != 2 || year < 2000 || minor < 0) {
    return std::nullopt;
  }
  return year * 1000 + minor;
}

// ConnectWise's own message ({"code","message"}), bounded: it names what is wrong.
std::string psa_message(const http::ClientResponse& r) {
  simdjson::dom::parser parser;
  std::string_view message;
  if (parser.parse(r.body).get_object()["message"].get(message) != simdjson::SUCCESS) return {};
  return utf8_prefix(valid_utf8(message), kMaxPsaMessage);
}

}  // namespace

Result<ConnectionReport> ConnectWiseConnector::test_connection(const Tenant& tenant, PsaHttp& http) const {
  ConnectionReport report;
  const auto add = [&](std::string name, bool ok, std::string detail) {
    report.checks.push_back(ConnectionCheck{std::move(name), ok, std::move(detail)});
  };

  auto info = http.send({.method = "GET", .url = tenant.base_url + "/system/info", .headers = auth_headers(tenant)});
  if (!info) return info.error();  // unreachable or throttled: no verdict
  if (info->status == 401 || info->status == 403) {
    const std::string said = psa_message(*info);
    add("credentials", false,
        "ConnectWise refused the API keys (" + std::to_string(info->status) + (said.empty() ? "" : ": " + said) +
            "). Check credentials.company_id (the company id typed on the ConnectWise login screen), "
            "credentials.public_key and credentials.private_key (System › Members › API Members › the member › "
            "API Keys; the private key is shown only once, so create a new pair if it was lost) and "
            "credentials.client_id (the clientId of your integration, from the ConnectWise Developer Network).");
    return report;  // nothing else can be checked
  }
  if (info->status != 200) {
    return make_error("psa_unavailable", "ConnectWise answered " + std::to_string(info->status) + " to /system/info");
  }
  add("credentials", true, "ConnectWise accepted the API keys and the clientId");

  simdjson::dom::parser parser;
  std::string_view version_text;
  if (parser.parse(info->body).get_object()["version"].get(version_text) != simdjson::SUCCESS) version_text = {};
  const auto server = version_number(version_text);
  const auto pinned = version_number(kApiVersion);
  if (!server) {
    add("api_version", false, "ConnectWise did not report its version; expected " + std::string(kApiVersion) + " or later");
  } else if (*server < *pinned) {
    add("api_version", false,
        "ConnectWise " + std::string(version_text) + " is older than " + std::string(kApiVersion) +
            ", the API version Switchyard asks for: upgrade the ConnectWise server");
  } else {
    add("api_version", true, "ConnectWise " + std::string(version_text) + " serves API version " + std::string(kApiVersion));
  }

  for (const Resource& r : kResources) {
    auto answer = http.send({.method = "GET",
                             .url = tenant.base_url + "/" + std::string(r.path) + "?pageSize=1&fields=id",
                             .headers = auth_headers(tenant)});
    if (!answer) return answer.error();
    const std::string name = "permission:" + std::string(r.name);
    if (answer->status == 200) {
      add(name, true, "the API member can read " + std::string(r.name));
    } else if (answer->status == 401 || answer->status == 403) {
      add(name, false,
          "the API member's security role cannot read " + std::string(r.name) + ": under System › Security Roles, "
          "give the role Inquire level All on " + std::string(r.grant));
    } else if (answer->status == 404) {
      add(name, false, "ConnectWise has no " + std::string(r.path) + " here: the module may not be licensed");
    } else {
      return make_error("psa_unavailable",
                        "ConnectWise answered " + std::to_string(answer->status) + " to /" + std::string(r.path));
    }
  }
  auto warnings = privilege_warnings(tenant, http);
  if (!warnings) return warnings.error();
  report.warnings = std::move(*warnings);
  report.ok = std::all_of(report.checks.begin(), report.checks.end(), [](const auto& c) { return c.ok; });
  return report;
}

}  // namespace switchyard::connectors::connectwise
