// GET /v1/tenants/{tenant}/adoption: the tenant's adoption summary (docs/adoption.md):
// activated_at, each milestone of first value with the time to it, usage by workflow and
// errors by reason (common/adoption.h adoption_json). Scope "read", and the token must cover
// the tenant: another tenant's token gets 403 before anything says whether the tenant exists.
// 503 when Redis does not answer or too many reads are queued. The read runs on a Redis worker
// thread, never on the API's IO thread.
#pragma once

#include "common/redis_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class AdoptionHandler {
 public:
  AdoptionHandler(TenantAdminRoute route, RedisWorker& redis);
  void handle(http::Request&& request, http::Responder respond);

 private:
  TenantAdminRoute route_;
  RedisWorker& redis_;
};

}  // namespace switchyard::ingest
