// GET /v1/tenants/{tenant}/activity: the tenant's recent activity, newest first
// (docs/activity.md). Query: kind, outcome, since (RFC 3339), problems=true, limit (1-500,
// default 50), cursor (the previous page's next_cursor). Scope "read", and the token must cover
// the tenant: another tenant's token gets 403 before anything says whether the tenant exists.
// 400 for a bad parameter, 503 when Redis does not answer or too many reads are queued. The
// read runs on a Redis worker thread, never on the API's IO thread.
#pragma once

#include "common/redis_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class ActivityHandler {
 public:
  ActivityHandler(TenantAdminRoute route, RedisWorker& redis);
  void handle(http::Request&& request, http::Responder respond);

 private:
  TenantAdminRoute route_;
  RedisWorker& redis_;
};

}  // namespace switchyard::ingest
