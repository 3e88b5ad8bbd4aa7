// The adoption summaries (docs/adoption.md; common/adoption.h adoption_json):
//   GET /v1/tenants/{tenant}/adoption  one tenant: activated_at, each milestone of first value
//                                      with the time to it, usage by workflow, errors by reason
//   GET /v1/adoption                   the same for every configured tenant the token covers,
//                                      {"tenants":[...]} in the tenants file's order
// Scope "read". For one tenant the token must cover it: another tenant's token gets 403 before
// anything says whether the tenant exists. 503 when Redis does not answer or too many reads are
// queued. Reads run on a Redis worker thread (all tenants in one round trip), never on the
// API's IO thread.
#pragma once

#include "common/redis_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class AdoptionHandler {
 public:
  AdoptionHandler(TenantAdminRoute route, RedisWorker& redis);
  void handle(http::Request&& request, http::Responder respond);  // one tenant
  void all(http::Request&& request, http::Responder respond);     // every tenant the token covers

 private:
  // Reads `tenants` and answers: the one summary, or {"tenants":[...]}.
  void read(std::vector<std::string> tenants, bool one, http::Responder respond);

  TenantAdminRoute route_;
  RedisWorker& redis_;
};

}  // namespace switchyard::ingest
