// POST /v1/webhooks/{psa}/{tenant}: a PSA's webhook/callback. Verifies the signature over the
// raw bytes, decodes the changes, and answers 202 only once Kafka has acknowledged every
// envelope (503 when it could not, so the PSA retries). A change that carries only part of its
// record gets a fetch job too (fetch_job.h), acknowledged with the envelopes; a webhook about
// the subscription itself (the PSA switched it off) is logged and counted, and publishes nothing.
//
// A PSA whose webhooks name where their signing key is served (ConnectWise's Metadata.key_url)
// has that key fetched once per key URL, on the PSA-calling worker (never on an HTTP thread),
// and cached (webhook_key_cache.h); a key URL off the tenant's PSA host is refused unfetched.
//
// An unknown tenant, a tenant on another PSA, a missing and a wrong signature all get the same
// 401 after the same HMAC work (a decoy secret stands in for a tenant that does not exist), so
// the endpoint does not reveal which tenants exist or which PSA each uses. Only the log line
// and the metric's reason tell them apart. An unknown PSA name gets 404: the connector list is
// public and says nothing about tenants.
#pragma once

#include <map>
#include <functional>
#include <string>

#include "common/http_types.h"
#include "common/live_tenants.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"
#include "ingest/psa_call_worker.h"
#include "ingest/webhook_key_cache.h"

namespace switchyard::ingest {

class WebhookHandler {
 public:
  // `fetch_jobs_topic`: where a partial webhook's fetch job goes (fetch_job.h), in the same
  // acknowledged batch as its envelope.
  WebhookHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                 EnvelopePublisher& publisher, IngestMetrics& metrics, PsaCallWorker& psa_calls,
                 std::string fetch_jobs_topic);
  void handle(http::Request&& request, http::Responder respond);
  // Called with the tenant when its PSA reports that it switched the tenant's webhook off
  // (the WebhookKeeper registers it again). Set before the server starts.
  void on_deactivated(std::function<void(const std::string&)> callback) { on_deactivated_ = std::move(callback); }

 private:
  // Verified: decodes the changes and answers 202 once Kafka has them.
  // `traceparent`: the request's W3C header, whose trace the changes join (else a new one).
  void accept(const TenantRef& tenant, const connectors::Connector& connector, std::string_view body,
              std::string_view traceparent, http::Responder respond);
  // Fetches the key at `key_url` on the PSA-calling worker, verifies with it, then accepts.
  void fetch_key_then_accept(TenantRef tenant, const connectors::Connector& connector, std::string key_url,
                             http::Request&& request, std::string path, std::string query, http::Responder respond);
  http::Response reject(int status, std::string_view code, std::string_view message);
  // "" when the URL's secret is one of the tenant's (or neither has one), else why not. Every
  // secret is compared in constant time, so timing tells nothing about which one is close.
  static std::string_view check_url_secret(const Tenant& tenant, const std::string* given);
  // The one answer for every authentication failure; `reason` goes to the log and metrics only.
  http::Response unauthorized(std::string_view psa, std::string_view tenant_id, std::string_view reason);

  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  EnvelopePublisher& publisher_;
  IngestMetrics& metrics_;
  PsaCallWorker& psa_calls_;
  std::string fetch_jobs_topic_;
  std::function<void(const std::string&)> on_deactivated_;
  WebhookKeyCache keys_;
  // Per PSA, a tenant with a random secret: verified against when the real tenant is missing.
  std::map<std::string, Tenant, std::less<>> decoys_;
};

}  // namespace switchyard::ingest
