#include "ingest/console_api.h"

#include "common/json_writer.h"
#include "connectors/troubleshooting.h"

namespace switchyard::ingest {

ConsoleApi::ConsoleApi(const ApiTokens& api_tokens, const LiveTenants& tenants,
                       const connectors::ConnectorRegistry& registry, IngestMetrics& metrics)
    : tenants_route_{"tenants", ApiScope::Read, api_tokens, tenants, registry, metrics},
      reasons_route_{"reasons", ApiScope::Read, api_tokens, tenants, registry, metrics} {}

void ConsoleApi::tenants(http::Request&& request, http::Responder respond) {
  const ApiToken* token = tenants_route_.admit_token(request, respond);
  if (token == nullptr) return;
  const TenantSnapshot snapshot = tenants_route_.tenants.snapshot();
  JsonWriter w;
  w.begin_object().key("tenants").begin_array();
  for (const Tenant& tenant : snapshot->all()) {
    const std::string& id = tenant.id;
    if (!token->allows_tenant(id)) continue;
    const connectors::Connector* connector = tenants_route_.registry.find(tenant.psa);
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
  if (reasons_route_.admit_token(request, respond) == nullptr) return;
  const std::string code = request.params["code"];
  auto body = connectors::reason_json(reasons_route_.registry, code, request.query_param("psa"));
  if (!body) return respond(reasons_route_.reject(404, "unknown_reason", "the catalogue has no such reason code"));
  respond(http::json_response(200, std::move(*body)));
}

}  // namespace switchyard::ingest
