// POST /v1/tenants/{tenant}/connection-test: checks the tenant's PSA connection now
// (connectors/connection_test.h) and answers with a plain-language report:
//   200 {"tenant","psa","ok","checks":[{"name","ok","detail"}],"warnings":[{"code","message"}],
//        "was_suspended","resumed"}
// Warnings name more PSA access than Switchyard needs (connector.h, ConnectionWarning); they
// never fail the test.
// A tenant suspended because its credentials were refused resumes when the test passes.
// Authenticated like sync (common/bearer_auth.h) with scope "admin": 401 without a known token,
// 403 when it does not cover the tenant or the scope; 404 for an unknown tenant; 501 when the
// PSA has no connection test; 503 while the PSA-calling worker is busy or the PSA cannot be
// reached. The test calls the PSA, which can take seconds: it runs on the PsaCallWorker.
#pragma once

#include "common/activity_log.h"
#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "connectors/registry.h"
#include "ingest/ingest_metrics.h"
#include "ingest/psa_call_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class ConnectionTestHandler {
 public:
  // `activity`: where a test's outcome is recorded for the tenant (common/activity_log.h).
  ConnectionTestHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry, PsaCallWorker& worker,
                        Metrics& metrics, IngestMetrics& ingest_metrics, const ApiTokens& api_tokens,
                        const ActivitySettings& activity, KafkaProducer& producer);
  void handle(http::Request&& request, http::Responder respond);

 private:
  http::Response test(PsaCall& call);  // on the worker's thread
  http::Response reject(int status, std::string_view code, std::string_view message);
  void record(PsaCall& call, ActivityRecord record);

  TenantAdminRoute route_;
  PsaCallWorker& worker_;
  prometheus::Family<prometheus::Counter>& tests_;
  prometheus::Family<prometheus::Counter>& warnings_;
  const ActivitySettings& activity_settings_;
  KafkaProducer& producer_;
  ActivityMetrics activity_metrics_;
};

}  // namespace switchyard::ingest
