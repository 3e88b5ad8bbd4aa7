#include "ingest/tenant_admin_route.h"

#include "common/bearer_auth.h"
#include "common/tenant_ids.h"

namespace switchyard::ingest {

http::Response TenantAdminRoute::reject(int status, std::string_view code, std::string_view message) const {
  metrics.count_rejected(route, std::string(code));
  return http::error_response(status, code, message);
}

namespace {

constexpr std::string_view kApiDisabled = "the API is disabled: configure SWITCHYARD_API_TOKENS_FILE";

}  // namespace

const ApiToken* TenantAdminRoute::admit_token(const http::Request& request, const http::Responder& respond) const {
  if (api_tokens.empty()) {
    respond(reject(403, "api_disabled", kApiDisabled));
    return nullptr;
  }
  const BearerAuth auth = authorize_bearer_scope(api_tokens, request.header("Authorization"), scope);
  if (!auth.allowed()) {
    metrics.count_rejected(route, auth.reason);
    respond(auth.response());
    return nullptr;
  }
  return auth.token;
}

std::optional<TenantClaim> TenantAdminRoute::admit_claim(const http::Request& request,
                                                        const http::Responder& respond) const {
  if (api_tokens.empty()) {
    respond(reject(403, "api_disabled", kApiDisabled));
    return std::nullopt;
  }
  const auto param = request.params.find("tenant");
  TenantClaim claim;
  claim.id = param == request.params.end() ? std::string() : param->second;
  const BearerAuth auth = authorize_bearer(api_tokens, request.header("Authorization"), claim.id, scope);
  if (!auth.allowed()) {
    metrics.count_rejected(route, auth.reason);
    respond(auth.response());
    return std::nullopt;
  }
  // Only a token for every tenant gets this far with a malformed id; the id is never echoed.
  if (!valid_tenant_id(claim.id)) {
    respond(reject(400, "invalid_tenant", "not a tenant id (1-64 of a-z, 0-9, '-', '_')"));
    return std::nullopt;
  }
  claim.token = auth.token;
  claim.tenant = tenants.find(claim.id);
  return claim;
}

std::optional<TenantTarget> TenantAdminRoute::admit(const http::Request& request, const http::Responder& respond) const {
  if (api_tokens.empty()) {
    respond(reject(403, "api_disabled", kApiDisabled));
    return std::nullopt;
  }
  const auto param = request.params.find("tenant");
  const std::string tenant_id = param == request.params.end() ? std::string() : param->second;
  const BearerAuth auth = authorize_bearer(api_tokens, request.header("Authorization"), tenant_id, scope);
  if (!auth.allowed()) {
    metrics.count_rejected(route, auth.reason);
    respond(auth.response());
    return std::nullopt;
  }
  TenantTarget target{tenants.find(tenant_id), nullptr};
  if (target.tenant == nullptr) {
    respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));
    return std::nullopt;
  }
  target.connector = registry.find(target.tenant->psa);
  if (target.connector == nullptr) {
    respond(reject(404, "unknown_psa", "no connector for psa \"" + target.tenant->psa + "\""));
    return std::nullopt;
  }
  return target;
}

}  // namespace switchyard::ingest
