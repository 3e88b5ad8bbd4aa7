// POST /v1/webhooks/{psa}/{tenant}: a PSA's webhook/callback. Checks PSA and tenant, verifies
// the signature over the raw bytes, decodes the changes, and answers 202 only once Kafka has
// acknowledged every envelope (503 when it could not, so the PSA retries).
#pragma once

#include "common/http_types.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

class WebhookHandler {
 public:
  WebhookHandler(const TenantDirectory& tenants, const connectors::ConnectorRegistry& registry,
                 EnvelopePublisher& publisher, IngestMetrics& metrics);
  void handle(http::Request&& request, http::Responder respond);

 private:
  http::Response reject(int status, std::string_view code, std::string_view message);
  const TenantDirectory& tenants_;
  const connectors::ConnectorRegistry& registry_;
  EnvelopePublisher& publisher_;
  IngestMetrics& metrics_;
};

}  // namespace switchyard::ingest
