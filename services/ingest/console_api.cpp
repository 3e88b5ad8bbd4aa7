#include "ingest/console_api.h"

#include "common/bearer_auth.h"
#include "common/json_writer.h"
#include "connectors/troubleshooting.h"

namespace switchyard::ingest {

ConsoleApi::ConsoleApi(const ApiTokens& api_tokens, const LiveTenants& tenants,
                       const connectors::ConnectorRegistry& registry, IngestMetrics& metrics)
    : api_tokens_(api_tokens), tenants_(tenants), registry_(registry), metrics_(metrics) {}

const ApiToken* ConsoleApi::admit(const http::Request& request, const http::Responder& respond,
                                  const std::string& route) {
  if (api_tokens_.empty()) {
    metrics_.count_rejected(route, "api_disabled");
    respond(http::error_response(403, "api_disabled", "the API is disabled: configure SWITCHYARD_API_TOKENS_FILE"));
    return nullptr;
  }
  const BearerAuth auth = authorize_bearer_scope(api_tokens_, request.header("Authorization"), ApiScope::Read);
  if (!auth.allowed()) {
    metrics_.count_rejected(route, auth.reason);
    respond(auth.response());
    return nullptr;
  }
  return auth.token;
}

void ConsoleApi::tenants(http::Request&& request, http::Responder respond) {
  const ApiToken* token = admit(request, respond, "tenants");
  if (token == nullptr) return;
  const TenantSnapshot snapshot = tenants_.snapshot();
  JsonWriter w;
  w.begin_object().key("tenants").begin_array();
  for (const Tenant& tenant : snapshot->all()) {
    const std::string& id = tenant.id;
    if (!token->allows_tenant(id)) continue;
    const connectors::Connector* connector = registry_.find(tenant.psa);
    w.begin_object().field("id", id).field("psa", tenant.psa);
    w.field("psa_name", connector != nullptr ? connector->display_name() : std::string_view(tenant.psa));
    w.field("paused", tenant.paused).field("mode", tenant.test_mode ? "test" : "live");
    w.key("polled_entities").begin_array();
    if (tenant.poll.enabled) {
      for (const auto& entity : tenant.poll.entities) w.value(entity);
    }
    w.end_array();
    w.field("silence_threshold_seconds",
            static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(tenant.silence_threshold).count()));
    w.end_object();
  }
  w.end_array().end_object();
  respond(http::json_response(200, w.take()));
}

void ConsoleApi::reason(http::Request&& request, http::Responder respond) {
  if (admit(request, respond, "reasons") == nullptr) return;
  const std::string code = request.params["code"];
  auto body = connectors::reason_json(registry_, code, request.query_param("psa"));
  if (!body) {
    metrics_.count_rejected("reasons", "unknown_reason");
    return respond(http::error_response(404, "unknown_reason", "the catalogue has no such reason code"));
  }
  respond(http::json_response(200, std::move(*body)));
}

}  // namespace switchyard::ingest
