// POST /v1/tenants/{tenant}/commands: the vendor platform's way to send a command over HTTP
// instead of producing to the commands topic itself. Validates it, stamps issued_at, and
// answers 202 once Kafka acknowledged it. Callers authenticate with
// "Authorization: Bearer <token>"; the token needs scope "commands" and the path's tenant
// (common/api_tokens.h). With no token configured the endpoint is closed rather than open.
#pragma once

#include <string>

#include "common/api_tokens.h"
#include "common/http_types.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/live_tenants.h"
#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

class CommandHandler {
 public:
  CommandHandler(const LiveTenants& tenants, KafkaProducer& producer, Metrics& metrics,
                 IngestMetrics& ingest_metrics, std::string topic, const ApiTokens& api_tokens);
  void handle(http::Request&& request, http::Responder respond);

 private:
  http::Response reject(int status, std::string_view code, std::string_view message);
  const LiveTenants& tenants_;
  KafkaProducer& producer_;
  Metrics& metrics_;
  IngestMetrics& ingest_metrics_;
  std::string topic_;
  const ApiTokens& api_tokens_;
};

}  // namespace switchyard::ingest
