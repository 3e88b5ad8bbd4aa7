// AutotaskApi: the Autotask REST V1.0 imitation below /autotask/ATServicesRest (paths
// case-insensitive, like Autotask's), and in other zones below /autotask/<zone>/ATServicesRest:
// a tenant lives in one zone (ZoneInformation), which its zone lookup names and the others
// refuse as Autotask refuses an unknown user; header auth with Autotask's odd status
// codes (docs/psa/autotask.md), create → {"itemId"}, PATCH/PUT with id in the body, get → {"item"},
// QueryModel queries (POST and GET ?search=) with nextPageUrl paging, query/count, child
// URLs (/Contracts/{id}/Charges, /Companies/{id}/Contacts, /Tickets/{id}/Notes) and
// entityInformation. Callers serialise access.
#pragma once

#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/auth/auth_scheme.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

inline constexpr std::string_view kAutotaskPrefix = "/autotask/ATServicesRest";  // the default zone
// Where a tenant's zone is kept (record 1, "zoneName"); the control API's "ZoneInformation".
inline constexpr std::string_view kAutotaskZoneKey = "autotask/ZoneInformation";
// Requests an hour per database (ThresholdInformation's externalRequestThreshold).
inline constexpr int64_t kAutotaskHourlyThreshold = 10000;

class AutotaskApi {
 public:
  AutotaskApi(const AutotaskCredentials& credentials, const AuthScheme& auth, Store& store)
      : credentials_(credentials), auth_(auth), store_(store) {}

  // `base` is "http://host:port" as the client reached the sandbox (for URLs we hand out).
  http::Response handle(const http::Request& request, std::string_view base);

  // Zone lookups are exempt from injected faults: Autotask does not throttle them (docs/psa/autotask.md).
  static bool is_zone_lookup(const http::Request& request);
  // Queries are reads even when POSTed; every other POST/PUT/PATCH/DELETE is a write.
  static bool is_write(const http::Request& request);

 private:
  const AutotaskCredentials& credentials_;
  const AuthScheme& auth_;
  Store& store_;
};

}  // namespace switchyard::sandbox
