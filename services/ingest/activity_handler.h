// Reading a tenant's activity (docs/activity.md), newest first, in two routes:
//   GET /v1/tenants/{tenant}/activity      every record (or the problems)
//   GET /v1/tenants/{tenant}/dead-letters  the dead letters, each with "replayed_at" once replayed
//   GET /v1/tenants/{tenant}/health        the sync health: per entity the last event and the
//                                          last successful poll, and whether the tenant is silent
// Query: kind, outcome, reason, since (RFC 3339), problems=true (activity only), limit (1-500,
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
  enum class View { Activity, DeadLetters, Health };
  ActivityHandler(TenantAdminRoute route, RedisWorker& redis, View view);
  void handle(http::Request&& request, http::Responder respond);

 private:
  void health(const TenantRef& tenant, http::Responder respond);

  TenantAdminRoute route_;
  RedisWorker& redis_;
  View view_;
};

}  // namespace switchyard::ingest
