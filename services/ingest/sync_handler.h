// POST /v1/tenants/{tenant}/sync: "poll this tenant now" for an operator or the vendor
// platform (e.g. after restoring a PSA, or when a partner says a change did not arrive), and
// "import these records by id" (a prospect the partner just picked in the set-up wizard).
// Optional body (sync_request.h) {"entities": ["ticket", ...], "resync": true,
// "records": [{"entity": "company", "id": "123"}, ...]} (default: every entity the tenant polls;
// no resync; no records). A resync reads every record of each entity again from the start
// (poller.h); its id ("rs-" + 16 hex characters) is in the 202 body as "resync_id". Each record
// becomes a fetch job with reason "import" (fetch_job.h): read whole by FetchJobRunner under the
// tenant's limit and produced to the raw topic with source "fetch". A body with records alone
// polls nothing.
// Authenticated like the commands route (common/bearer_auth.h) with scope "sync": 401 without
// a known token, 403 when it does not cover the tenant or the scope (checked before the
// tenant's existence), 404 for an unknown tenant, 400 for bad JSON, an entity the tenant does
// not poll, a "resync" that is not a boolean, or a record its connector cannot fetch, 409 when
// the tenant is paused or (for a poll) its polling is disabled. 202 with what was scheduled:
// the fetch jobs once Kafka acknowledged them (503 if it did not), the poll once recorded in
// Redis (every replica hears of it; the next free poll worker of any replica takes the lease and
// polls, one replica, once).
#pragma once

#include <string>

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"
#include "ingest/poller.h"
#include "ingest/sync_request.h"

namespace switchyard::ingest {

class SyncHandler {
 public:
  SyncHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry, Poller& poller,
              EnvelopePublisher& publisher, std::string fetch_jobs_topic, IngestMetrics& metrics,
              const ApiTokens& api_tokens);
  void handle(http::Request&& request, http::Responder respond);

 private:
  http::Response reject(int status, std::string_view code, std::string_view message);
  // 400 for the first record the tenant's connector cannot fetch; nullopt when all can.
  std::optional<http::Response> check_records(const Tenant& tenant, const SyncRequest& request);
  // The poll part, once any fetch jobs are in Kafka; answers `respond`.
  void schedule_poll(const TenantRef& tenant, const std::vector<std::string>& entities, std::string resync_id,
                     std::string body, http::Responder respond);

  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  Poller& poller_;
  EnvelopePublisher& publisher_;
  std::string fetch_jobs_topic_;
  IngestMetrics& metrics_;
  const ApiTokens& api_tokens_;
};

}  // namespace switchyard::ingest
