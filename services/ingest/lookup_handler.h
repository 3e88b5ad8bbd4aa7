// GET /v1/tenants/{tenant}/psa/{list}[?board=<id>][&company=<id>]: a set-up list from the
// tenant's PSA (Connector::lookup; connectors/lookup_list.h names the lists), for the vendor's
// set-up wizard (docs/setup-wizard.md):
//   200 {"tenant","list","items":[{"id","name","active"}],"truncated","cached","fetched_at"}
// Scope "read", admitted like every tenant route (TenantAdminRoute). The PSA is called on the
// PsaCallWorker, through the tenant's shared rate limit and token; each answer is kept in Redis
// for SWITCHYARD_LOOKUP_CACHE_SECONDS under tenant + list + filter, so every replica shares it.
// Errors: 404 unknown_list (naming the lists), 400 invalid_argument / board_required, 501
// not_supported, 429 psa_throttled (+ Retry-After), 502 with the PSA's reason code, 503 busy.
// Item names are the partner's configuration: answered, never logged.
#pragma once

#include <chrono>

#include "common/metrics.h"
#include "ingest/psa_call_worker.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

struct LookupOptions {
  std::chrono::seconds cache_ttl{60};  // 0: every request reads the PSA
  std::string key_prefix = "sy:lookup:";
};

class LookupHandler {
 public:
  LookupHandler(TenantAdminRoute route, PsaCallWorker& worker, Metrics& metrics, LookupOptions options = {});
  void handle(http::Request&& request, http::Responder respond);

 private:
  struct Ask {
    std::string list;       // as asked ("queues")
    std::string canonical;  // as the connector reads it ("boards")
    connectors::LookupQuery query;
  };
  http::Response answer(PsaCall& call, const Ask& ask);  // on the worker's thread
  http::Response refuse(std::string_view list, std::string_view outcome, int status, std::string_view code,
                        std::string_view message);
  std::string cache_key(const std::string& tenant, const Ask& ask) const;

  TenantAdminRoute route_;
  PsaCallWorker& worker_;
  LookupOptions options_;
  prometheus::Family<prometheus::Counter>& requests_;
};

}  // namespace switchyard::ingest
