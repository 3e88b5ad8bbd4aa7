// The v2 API imitation (Kaseya BMS, Pulseway PSA) below <prefix>/v2/, behind bearer tokens:
//   GET  <list>?PageNumber=P&PageSize=N[&<since filter>=T]  → {"Success","Error","Result":[...],
//        "TotalRecords"}, ordered by Id; tickets also take Filter.Details (contains) and accounts
//        Filter.AccountTypeName
//   GET  <one>/{id}; POST servicedesk/tickets; PATCH|PUT servicedesk/tickets/{id};
//   POST servicedesk/tickets/{id}/resolve; GET|POST servicedesk/tickets/{id}/notes;
//   GET  finance/contracts/recurringservices/{id} (with its Services); POST .../{id}/services;
//   POST admin/webhooks/search; POST admin/webhooks; DELETE admin/webhooks/{id};
//   GET  system/statuses/lookup, system/priorities/lookup.
// A request the API refuses as invalid or naming no record is answered in an HTTP 200 with
// {"Success": false, "Error": {"Code": 400|404, ...}}: the spec declares only 200 (a sandbox
// choice that makes clients read the envelope). Callers serialise access.
#pragma once

#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox::kaseya_v2 {

// `psa`: the store's prefix ("kaseya_bms"); `rest`: the path below <prefix>/v2/.
http::Response handle_v2_api(std::string_view psa, std::string_view rest, const http::Request& request, Store& store);

// The failure envelope inside an HTTP 200.
http::Response envelope_error(int code, std::string_view message);

}  // namespace switchyard::sandbox::kaseya_v2
