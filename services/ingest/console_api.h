// The two routes the operator console needs beyond the tenant routes (docs/console.md), on the
// API and the operator listener alike:
//   GET /v1/tenants          the tenants the token covers: {"tenants":[{"id","psa","psa_name",
//                            "paused","mode","polled_entities":[...],"silence_threshold_seconds"}]}
//   GET /v1/reasons/{code}   one entry of the reason catalogue with the steps of ?psa= where
//                            they differ (connectors/troubleshooting.h); 404 for an unknown code
// Scope "read": 401 without a known token, 403 without the scope. Tenant ids and PSA names
// only: a tenant's credentials, URLs and options never leave the process.
#pragma once

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "connectors/registry.h"
#include "ingest/ingest_metrics.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class ConsoleApi {
 public:
  ConsoleApi(const ApiTokens& api_tokens, const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
             IngestMetrics& metrics);
  void tenants(http::Request&& request, http::Responder respond);
  void reason(http::Request&& request, http::Responder respond);

 private:
  TenantAdminRoute tenants_route_;  // scope read; its tenants and registry serve both routes
  TenantAdminRoute reasons_route_;
};

}  // namespace switchyard::ingest
