// POST /v1/tenants/{tenant}/webhooks registers the tenant's webhooks (or callbacks) in its PSA,
// pointing at this deployment's public webhook URL; DELETE removes them. Both are idempotent:
//   200 {"tenant","psa","callback_url","ids":[...],"changed":bool}   (POST)
//   200 {"tenant","psa","removed":true}                              (DELETE)
// The URL is SWITCHYARD_PUBLIC_WEBHOOK_URL + /v1/webhooks/{psa}/{tenant}, plus the tenant's
// newest URL secret when it has any, so a rotation is: add the new secret, POST again (the PSA's
// entries move to the new URL), then drop the old secret. Scope "admin" for the tenant; 404 for
// an unknown tenant; 409 without SWITCHYARD_PUBLIC_WEBHOOK_URL; 501 when the connector cannot
// register; 502 when the PSA refuses (its reason in plain words); 503 while busy or unreachable.
// The PSA calls run on the PsaCallWorker, never on an HTTP thread.
#pragma once

#include <string>

#include "ingest/psa_call_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class WebhookRegistrationHandler {
 public:
  WebhookRegistrationHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                             PsaCallWorker& worker, IngestMetrics& metrics, const ApiTokens& api_tokens,
                             std::string public_webhook_url);
  void handle(http::Request&& request, http::Responder respond);
  // The URL a tenant's PSA is told to call.
  static std::string callback_url(const std::string& public_webhook_url, const Tenant& tenant);

 private:
  http::Response run(PsaCall& call, bool remove);

  TenantAdminRoute route_;
  PsaCallWorker& worker_;
  std::string public_webhook_url_;
};

}  // namespace switchyard::ingest
