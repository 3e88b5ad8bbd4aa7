// POST /v1/tenants/{tenant}/sync: "poll this tenant now" for an operator or the vendor
// platform (e.g. after restoring a PSA, or when a partner says a change did not arrive).
// Optional body {"entities": ["ticket", ...], "resync": true} (default: every entity the tenant
// polls; no resync). A resync reads every record of each entity again from the start (poller.h);
// its id ("rs-" + 16 hex characters) is in the 202 body as "resync_id".
// Authenticated like the commands route (common/bearer_auth.h) with scope "sync": 401 without
// a known token, 403 when it does not cover the tenant or the scope (checked before the
// tenant's existence), 404 for an unknown tenant, 400 for bad JSON, an entity the tenant does
// not poll or a "resync" that is not a boolean, 409 when the tenant's polling is disabled. 202
// with what was scheduled: the request is recorded in Redis and every replica hears of it; the
// next free poll worker of any replica takes the lease and polls (one replica, once).
#pragma once

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "ingest/ingest_metrics.h"
#include "ingest/poller.h"

namespace switchyard::ingest {

class SyncHandler {
 public:
  SyncHandler(const LiveTenants& tenants, Poller& poller, IngestMetrics& metrics, const ApiTokens& api_tokens);
  void handle(http::Request&& request, http::Responder respond);

 private:
  http::Response reject(int status, std::string_view code, std::string_view message);

  const LiveTenants& tenants_;
  Poller& poller_;
  IngestMetrics& metrics_;
  const ApiTokens& api_tokens_;
};

}  // namespace switchyard::ingest
