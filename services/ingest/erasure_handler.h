// POST /v1/tenants/{tenant}/erasure: erases one person of a tenant (GDPR Article 17; the runbook
// is docs/runbooks.md "Erase a person"). Body: {"contact_id": "...", "email": "..."}, at least one
// (ingest/erasure_request.h). Scope "admin" for the tenant. In order:
//   1. the person leaves Redis (ingest/person_erasure.h), on a worker thread;
//   2. an erasure event goes to the canonical topic (common/erasure_event.h), so consumers delete
//      their copies;
//   3. the audit record: the keyed hashes of the contact id and e-mail (SecretKeyring::keyed_hash,
//      with the key id), never either in clear, and what was removed;
// and only then 200 {"tenant","erasure_id","removed":{...},"event":{"topic","key"}}.
// 400 invalid_request, 404 unknown_tenant, 503 redis_unavailable / kafka_unavailable /
// audit_unavailable / busy: each is safe to repeat (a repeat finds less to remove and publishes
// the event again). Every request with a known token is audited, refusals included.
// Metrics: switchyard_erasures_total{outcome="ok"|"refused"|"failed"}.
#pragma once

#include <memory>
#include <string>

#include "common/audit.h"
#include "common/kafka_producer.h"
#include "common/redis_worker.h"
#include "ingest/person_erasure.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class ErasureHandler {
 public:
  ErasureHandler(TenantAdminRoute route, RedisWorker& worker, KafkaProducer& producer, std::string canonical_topic,
                 AuditTrail& audit, Metrics& metrics, ErasureKeys keys = {});
  void handle(http::Request&& request, http::Responder respond);

 private:
  struct Job;
  void run(RedisClient& redis, const std::shared_ptr<Job>& job);
  // Answers a request that ends here, recorded when its token is known.
  void finish(const Job& job, http::Response response, std::string details_json = {});

  TenantAdminRoute route_;
  RedisWorker& worker_;
  KafkaProducer& producer_;
  std::string canonical_topic_;
  AuditTrail& audit_;
  ErasureKeys keys_;
  prometheus::Family<prometheus::Counter>& erasures_;
};

}  // namespace switchyard::ingest
