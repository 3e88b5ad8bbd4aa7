#include "ingest/connection_test_handler.h"

#include "common/bearer_auth.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "connectors/connection_test.h"

namespace switchyard::ingest {
namespace {

std::string report_json(const Tenant& tenant, const connectors::ConnectionTestOutcome& outcome) {
  JsonWriter w;
  w.begin_object().field("tenant", tenant.id).field("psa", tenant.psa).field("ok", outcome.report.ok);
  w.key("checks").begin_array();
  for (const auto& check : outcome.report.checks) {
    w.begin_object().field("name", check.name).field("ok", check.ok).field("detail", check.detail).end_object();
  }
  w.end_array().field("was_suspended", outcome.was_suspended).field("resumed", outcome.resumed).end_object();
  return w.take();
}

}  // namespace

ConnectionTestHandler::ConnectionTestHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                                             PsaCallWorker& worker, Metrics& metrics, IngestMetrics& ingest_metrics,
                                             const ApiTokens& api_tokens)
    : tenants_(tenants),
      registry_(registry),
      worker_(worker),
      ingest_metrics_(ingest_metrics),
      api_tokens_(api_tokens),
      tests_(prometheus::BuildCounter()
                 .Name("switchyard_connection_tests_total")
                 .Help("Connection tests run on request, by PSA and result (ok|failed|not_supported|unavailable)")
                 .Register(metrics.registry())) {}

http::Response ConnectionTestHandler::reject(int status, std::string_view code, std::string_view message) {
  ingest_metrics_.count_rejected("connection_test", std::string(code));
  return http::error_response(status, code, message);
}

void ConnectionTestHandler::handle(http::Request&& request, http::Responder respond) {
  if (api_tokens_.empty()) {
    return respond(reject(403, "api_disabled", "the API is disabled: configure SWITCHYARD_API_TOKENS_FILE"));
  }
  const std::string& tenant_id = request.params["tenant"];
  // The token must cover this tenant before anything says whether the tenant exists.
  const BearerAuth auth = authorize_bearer(api_tokens_, request.header("Authorization"), tenant_id, ApiScope::Admin);
  if (!auth.allowed()) {
    ingest_metrics_.count_rejected("connection_test", auth.reason);
    return respond(auth.response());
  }
  const TenantRef tenant = tenants_.find(tenant_id);
  if (tenant == nullptr) return respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));
  const connectors::Connector* connector = registry_.find(tenant->psa);
  if (connector == nullptr) return respond(reject(404, "unknown_psa", "no connector for psa \"" + tenant->psa + "\""));
  // The responder is shared by the two paths: exactly one of them runs.
  auto answer = std::make_shared<http::Responder>(std::move(respond));
  const bool queued = worker_.submit(
      tenant, *connector, [this, answer](PsaCall& call) { (*answer)(test(call)); },
      [this, answer] { (*answer)(reject(503, "shutting_down", "ingest is shutting down")); });
  if (!queued) (*answer)(reject(503, "busy", "connection tests are queued up; try again in a few seconds"));
}

http::Response ConnectionTestHandler::test(PsaCall& call) {
  const Tenant* tenant = &call.tenant;
  auto outcome = connectors::run_connection_test(*tenant, call.connector, call.http, call.tokens);
  if (!outcome) {
    const bool unsupported = outcome.error().code == connectors::kNotSupported;
    tests_.Add({{"psa", tenant->psa}, {"result", unsupported ? "not_supported" : "unavailable"}}).Increment();
    log::warn("connection test could not run",
              {{"tenant", tenant->id}, {"psa", tenant->psa}, {"code", outcome.error().code}});
    if (unsupported) return reject(501, "not_supported", outcome.error().message);
    return reject(503, "psa_unavailable", "the test could not reach the PSA: " + outcome.error().message);
  }
  tests_.Add({{"psa", tenant->psa}, {"result", outcome->report.ok ? "ok" : "failed"}}).Increment();
  log::info("connection test",
            {{"tenant", tenant->id}, {"psa", tenant->psa}, {"ok", outcome->report.ok ? "true" : "false"},
             {"resumed", outcome->resumed ? "true" : "false"}});
  return http::json_response(200, report_json(*tenant, *outcome));
}

}  // namespace switchyard::ingest
