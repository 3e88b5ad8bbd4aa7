// Autotask zones. Every Autotask database lives in one zone (https://webservicesN.autotask.net/
// ATServicesRest), found from the API user's name: GET <lookup>/v1.0/zoneInformation?user=<name>
// answers {zoneName, url, webUrl, ci}. A tenant's base_url is an optional override: without it
// the zone is looked up. Either way a wrong zone is corrected, not fatal: Autotask answers a call
// in another zone as it answers an unknown user (401, or a 500 about authentication rather than
// a field's validation), so on such an answer the zone is
// looked up again (at most once a minute per tenant) and, when it differs, the call is sent once
// more to the right zone. Zones are kept per process, keyed by tenant and user, for a day: a
// lookup is one request a day per replica, and zone lookups are not throttled by Autotask
// (docs/psa/autotask.md#zone).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::autotask {

// Autotask's own zone lookup host; a tenant may point elsewhere with option zone_lookup_url (a
// sandbox), and a zone it answers must then be on that same host.
inline constexpr std::string_view kZoneLookupUrl = "https://webservices.autotask.net/atservicesrest";

struct Zone {
  std::string url;      // the zone's API base, without a trailing '/'
  std::string web_url;  // the Autotask UI of the zone (for messages)
};

// One zoneInformation lookup (through `http`: the tenant's limit, metrics). Errors in plain
// language: "zone_unknown" when Autotask cannot tell the user's zone (a wrong user name), or
// "invalid_zone" when its answer is not a zone URL we may send credentials to.
Result<Zone> lookup_zone(const Tenant& tenant, PsaHttp& http);

// Drops every cached zone (tests).
void forget_zones();

// Sends an Autotask operation's calls to the tenant's zone. A request URL that is relative
// ("/V1.0/Tickets/query", what tenant.base_url + path gives without a base_url) or starts with
// the configured base_url is sent to the zone in force; any other (a nextPageUrl) as it is,
// except that a call answered as in the wrong zone is resent once to the corrected zone.
class ZoneHttp final : public PsaHttp {
 public:
  ZoneHttp(const Tenant& tenant, PsaHttp& inner) : tenant_(tenant), inner_(inner) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;
  // The zone base URL calls go to now, looking it up when none is known.
  Result<std::string> base();

 private:
  const Tenant& tenant_;
  PsaHttp& inner_;
};

}  // namespace switchyard::connectors::autotask
