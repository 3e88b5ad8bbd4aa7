#include "ingest/webhook_handler.h"

#include "common/json_writer.h"
#include "common/log.h"
#include "ingest/change_envelopes.h"

namespace switchyard::ingest {

WebhookHandler::WebhookHandler(const TenantDirectory& tenants, const connectors::ConnectorRegistry& registry,
                               EnvelopePublisher& publisher, IngestMetrics& metrics)
    : tenants_(tenants), registry_(registry), publisher_(publisher), metrics_(metrics) {}

http::Response WebhookHandler::reject(int status, std::string_view code, std::string_view message) {
  metrics_.count_rejected("webhook", std::string(code));
  return http::error_response(status, code, message);
}

void WebhookHandler::handle(http::Request&& request, http::Responder respond) {
  const std::string& psa = request.params["psa"];
  const std::string& tenant_id = request.params["tenant"];
  const connectors::Connector* connector = registry_.find(psa);
  if (connector == nullptr) return respond(reject(404, "unknown_psa", "no connector for PSA \"" + psa + "\""));
  const Tenant* tenant = tenants_.find(tenant_id);
  if (tenant == nullptr) return respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));
  if (tenant->psa != psa) {
    return respond(reject(404, "unknown_tenant", "tenant \"" + tenant_id + "\" is not connected to " + psa));
  }
  if (request.body.empty()) return respond(reject(400, "empty_body", "the webhook body is empty"));

  // Signature first, over the exact bytes received, before anything parses them.
  if (auto verified = connector->verify_webhook(*tenant, request.body, request.headers); !verified) {
    log::warn("webhook signature rejected", {{"tenant", tenant->id}, {"psa", psa}, {"reason", verified.error().code}});
    return respond(reject(401, verified.error().code, verified.error().message));
  }
  auto changes = connector->decode_webhook(*tenant, request.body);
  if (!changes) {
    const int status = changes.error().code == "invalid_json" ? 400 : 422;
    return respond(reject(status, changes.error().code, changes.error().message));
  }

  auto envelopes = to_envelopes(*tenant, std::move(*changes), "webhook");
  JsonWriter accepted;
  accepted.begin_object().field("status", "accepted").key("idempotency_keys").begin_array();
  for (const auto& e : envelopes) accepted.value(e.idempotency_key);
  accepted.end_array().end_object();

  const size_t count = envelopes.size();
  publisher_.publish(envelopes, [this, tenant, count, body = accepted.take(), respond = std::move(respond)](
                                    bool ok, const std::string& error) {
    if (ok) {
      metrics_.count_accepted(tenant->id, tenant->psa, "webhook", count);
      respond(http::json_response(202, body));
      return;
    }
    log::error("webhook not stored: kafka did not acknowledge", {{"tenant", tenant->id}, {"error", error}});
    metrics_.count_rejected("webhook", "kafka_unavailable");
    auto r = http::error_response(503, "kafka_unavailable", "the event could not be stored; retry later");
    r.headers.emplace_back("Retry-After", "5");
    respond(std::move(r));
  });
}

}  // namespace switchyard::ingest
