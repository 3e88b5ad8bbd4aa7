// Autotask's connection test: the API user, its secret and the tracking identifier
// (GET /V1.0/ThresholdInformation, which every API user may read), how much of the database's
// hourly request budget is spent, and read access (and, for what commands write, the entity's
// create/update capability) for every entity the connector uses, each explained in the words of
// Autotask's own screens.
#include <simdjson.h>

#include <cstdio>

#include "connectors/autotask/autotask_connector.h"
#include "connectors/autotask/errors.h"
#include "connectors/autotask/zone.h"

namespace switchyard::connectors::autotask {
namespace {

// Autotask slows every call from half of the hourly threshold and suspends the API for the
// whole database at all of it (docs/psa/autotask.md).
constexpr double kBudgetWarning = 0.5;

// What the connector reads and writes.
struct Entity {
  std::string_view name;  // REST entity
  bool written;           // commands create or update it
};
constexpr Entity kEntities[] = {
    {"Companies", false},         {"Contacts", false},  {"Tickets", true},          {"TicketNotes", true},
    {"ConfigurationItems", true}, {"Contracts", false}, {"ContractCharges", true},
};

std::string check_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::BadIntegration:
      return "tracking_identifier";
    case ErrorKind::WrongZone:
      return "zone";
    default:
      return "credentials";
  }
}

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", share * 100);
  return text;
}

}  // namespace

Result<ConnectionReport> AutotaskConnector::test_connection(const Tenant& tenant, PsaHttp& psa) const {
  ConnectionReport report;
  const auto add = [&](std::string name, bool ok, std::string detail) {
    report.checks.push_back(ConnectionCheck{std::move(name), ok, std::move(detail)});
  };
  // Every call to the tenant's zone; without a base_url, finding it is the first check.
  ZoneHttp http(tenant, psa);
  if (tenant.base_url.empty()) {
    auto zone = http.base();
    if (!zone) {
      if (zone.error().code == "zone_unreachable") return make_error("psa_unavailable", zone.error().message);
      add("zone", false, zone.error().message);
      return report;
    }
    add("zone", true, "Autotask names the API user's zone: " + *zone);
  }

  auto threshold = http.send(
      {.method = "GET", .url = tenant.base_url + "/V1.0/ThresholdInformation", .headers = auth_headers(tenant)});
  if (!threshold) return threshold.error();
  if (threshold->status != 200) {
    const ErrorKind kind = kind_of_error(*threshold);
    if (kind == ErrorKind::Throttled || kind == ErrorKind::ServerFault) {
      return make_error("psa_unavailable", explain_error(*threshold, "the connection test"));
    }
    add(check_name(kind), false, explain_error(*threshold, "the connection test"));
    return report;  // nothing else can be checked with credentials Autotask refuses
  }
  add("credentials", true, "Autotask accepted the API user, its secret and the API tracking identifier");

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  int64_t limit = 0, used = 0, minutes = 0;
  if (parser.parse(threshold->body).get(root) == simdjson::SUCCESS &&
      root["externalRequestThreshold"].get(limit) == simdjson::SUCCESS &&
      root["currentTimeframeRequestCount"].get(used) == simdjson::SUCCESS && limit > 0) {
    if (root["requestThresholdTimeframe"].get(minutes) != simdjson::SUCCESS) minutes = 60;
    const double share = static_cast<double>(used) / static_cast<double>(limit);
    const std::string said = std::to_string(used) + " of " + std::to_string(limit) + " requests (" + percent(share) +
                             ") used in the last " + std::to_string(minutes) + " minutes, by every integration";
    if (share < kBudgetWarning) {
      add("request_budget", true, said);
    } else {
      add("request_budget", false,
          said + ": Autotask slows every call from half of it and suspends the API for the whole database at "
                 "all of it. Find the integration that spends it, or lower this tenant's rate_limit.share");
    }
  }

  for (const Entity& e : kEntities) {
    const std::string entity(e.name);
    http::ClientRequest query{.method = "POST",
                              .url = tenant.base_url + "/V1.0/" + entity + "/query",
                              .headers = auth_headers(tenant),
                              .body = R"({"MaxRecords":1,"IncludeFields":["id"],"Filter":[{"op":"gte","field":"id","value":0}]})"};
    auto read = http.send(query);
    if (!read) return read.error();
    if (read->status != 200) {
      add("permission:" + entity, false, explain_error(*read, "querying " + entity));
      continue;
    }
    if (!e.written) {
      add("permission:" + entity, true, "the API user can read " + entity);
      continue;
    }
    auto info = http.send(
        {.method = "GET", .url = tenant.base_url + "/V1.0/" + entity + "/entityInformation", .headers = auth_headers(tenant)});
    if (!info) return info.error();
    bool can_create = false, can_update = false;
    simdjson::dom::element info_root;
    if (info->status == 200 && parser.parse(info->body).get(info_root) == simdjson::SUCCESS) {
      if (info_root["info"]["canCreate"].get(can_create) != simdjson::SUCCESS) can_create = false;
      if (info_root["info"]["canUpdate"].get(can_update) != simdjson::SUCCESS) can_update = false;
    }
    if (info->status != 200) {
      add("permission:" + entity, false, explain_error(*info, "reading what " + entity + " allows"));
    } else if (!can_create) {
      add("permission:" + entity, false,
          "Autotask does not let the API user create " + entity +
              ": its security level (Admin › Account Settings & Users › Security Levels) needs Add on it");
    } else {
      add("permission:" + entity, true,
          "the API user can read and create " + entity + (can_update ? " and update them" : ""));
    }
  }
  report.ok = std::all_of(report.checks.begin(), report.checks.end(), [](const auto& c) { return c.ok; });
  return report;
}

}  // namespace switchyard::connectors::autotask
