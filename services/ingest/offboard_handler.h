// POST /v1/tenants/{tenant}/offboard (scope admin): when a partner disconnects, removes what
// Switchyard holds of the tenant (docs/runbooks.md#offboarding-a-tenant):
//   1. refused with 409 tenant_active while the tenant is configured and not paused (a paused
//      tenant is not polled and its commands park, so nothing of ours writes its keys meanwhile);
//   2. when it is still configured (paused) and Switchyard registered its webhooks/callbacks
//      through the API (sy:webhooks:{tenant}, as the keeper knows them), unregisters them on the
//      PsaCallWorker; a tenant no longer in the tenants file has no known credentials, and the
//      answer says its webhooks were skipped and why;
//   3. deletes every Redis key of the tenant (common/tenant_key_removal.h) on its own Redis
//      worker, so a long SCAN holds up neither an HTTP thread nor another PSA call. When the PSA
//      would not remove a webhook, the registration key stays so the next run tries again;
//   4. answers 200 with the report (ingest/offboard_report.h) and records an AuditRecord
//      (actor "token:<id>", action "offboard").
// Safe to run twice: the second run calls no PSA and removes 0 keys. 400 for a malformed
// tenant id, 503 while busy or when Redis cannot be reached (run it again).
#pragma once

#include <memory>
#include <string>

#include "common/audit.h"
#include "common/redis_worker.h"
#include "ingest/offboard_report.h"
#include "ingest/psa_call_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class OffboardHandler {
 public:
  OffboardHandler(TenantAdminRoute route, PsaCallWorker& psa_calls, RedisWorker& redis, AuditTrail& audit,
                  std::string public_webhook_url);
  void handle(http::Request&& request, http::Responder respond);

 private:
  struct Run {
    std::string actor;  // "token:<id>"
    OffboardReport report;
    http::Responder respond;
  };
  WebhookRemoval unregister(PsaCall& call) const;
  // Deletes the keys on the Redis worker, then answers, audits and counts.
  void remove_keys(std::shared_ptr<Run> run);
  // Answers with the refusal, audits and counts it as failed.
  void fail(Run& run, int status, std::string_view code, const std::string& message);

  TenantAdminRoute route_;
  PsaCallWorker& psa_calls_;
  RedisWorker& redis_;
  AuditTrail& audit_;
  std::string public_webhook_url_;
};

}  // namespace switchyard::ingest
