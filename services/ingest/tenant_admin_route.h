// The start every tenant admin route on the vendor API shares (connection test, webhook
// registration): the API is configured, the bearer token covers the tenant and the scope
// (checked before anything says whether the tenant exists), the tenant and its connector exist.
// Refusals are answered here and counted as switchyard_ingest_rejected_total{route,reason}.
#pragma once

#include <optional>
#include <string>

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/live_tenants.h"
#include "connectors/registry.h"
#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

struct TenantTarget {
  TenantRef tenant;
  const connectors::Connector* connector = nullptr;
};

// A tenant id that need not be configured (any more): offboarding erases what a removed tenant
// left behind.
struct TenantClaim {
  const ApiToken* token = nullptr;
  std::string id;
  TenantRef tenant;  // null when the id is not in the tenants file
};

struct TenantAdminRoute {
  std::string route;  // the metrics label: "connection_test", "webhooks"
  ApiScope scope;
  const ApiTokens& api_tokens;
  const LiveTenants& tenants;
  const connectors::ConnectorRegistry& registry;
  IngestMetrics& metrics;

  http::Response reject(int status, std::string_view code, std::string_view message) const;
  // The target, or nullopt once `respond` has been called with the refusal.
  std::optional<TenantTarget> admit(const http::Request& request, const http::Responder& respond) const;
  // For a route that spans tenants (the console's tenant list): the token when it has the
  // scope, or nullptr once `respond` has been called with the refusal.
  const ApiToken* admit_token(const http::Request& request, const http::Responder& respond) const;
  // As admit(), but the tenant need not exist: the token must cover the id and have the scope,
  // and the id must be a valid tenant id (400 invalid_tenant). nullopt once `respond` has been
  // called with the refusal.
  std::optional<TenantClaim> admit_claim(const http::Request& request, const http::Responder& respond) const;
};

}  // namespace switchyard::ingest
