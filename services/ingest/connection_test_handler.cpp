#include "ingest/connection_test_handler.h"

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
  w.end_array().key("warnings").begin_array();
  for (const auto& warning : outcome.report.warnings) {
    w.begin_object().field("code", warning.code).field("message", warning.message).end_object();
  }
  w.end_array().field("was_suspended", outcome.was_suspended).field("resumed", outcome.resumed).end_object();
  return w.take();
}

}  // namespace

ConnectionTestHandler::ConnectionTestHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                                             PsaCallWorker& worker, Metrics& metrics, IngestMetrics& ingest_metrics,
                                             const ApiTokens& api_tokens, const ActivitySettings& activity,
                                             KafkaProducer& producer)
    : route_{"connection_test", ApiScope::Admin, api_tokens, tenants, registry, ingest_metrics},
      worker_(worker),
      tests_(prometheus::BuildCounter()
                 .Name("switchyard_connection_tests_total")
                 .Help("Connection tests run on request, by PSA and result (ok|failed|not_supported|unavailable)")
                 .Register(metrics.registry())),
      warnings_(prometheus::BuildCounter()
                    .Name("switchyard_connection_test_warnings_total")
                    .Help("Connection-test warnings of more PSA access than Switchyard needs, by PSA and code "
                          "(privilege_admin|privilege_delete|privilege_unused)")
                    .Register(metrics.registry())),
      activity_settings_(activity),
      producer_(producer),
      activity_metrics_(metrics) {}

void ConnectionTestHandler::record(PsaCall& call, ActivityRecord record) {
  if (call.redis == nullptr) return;
  record.tenant = call.tenant.id;
  record.kind = activity::kConnectionTest;
  ActivityLog(activity_settings_, "ingest", *call.redis, producer_, activity_metrics_).record(std::move(record));
}

http::Response ConnectionTestHandler::reject(int status, std::string_view code, std::string_view message) {
  return route_.reject(status, code, message);
}

void ConnectionTestHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  // The responder is shared by the two paths: exactly one of them runs.
  auto answer = std::make_shared<http::Responder>(std::move(respond));
  const bool queued = worker_.submit(
      target->tenant, *target->connector, [this, answer](PsaCall& call) { (*answer)(test(call)); },
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
    record(call, {.outcome = std::string(activity::kFailed), .reason = "psa_unreachable",
                  .message = "the test could not reach the PSA: " + outcome.error().message});
    return reject(503, "psa_unavailable", "the test could not reach the PSA: " + outcome.error().message);
  }
  tests_.Add({{"psa", tenant->psa}, {"result", outcome->report.ok ? "ok" : "failed"}}).Increment();
  std::string failed;
  for (const auto& check : outcome->report.checks) {
    if (!check.ok) failed.append(failed.empty() ? "" : ", ").append(check.name);
  }
  // Codes only: the messages are in the answer, the activity record stays short.
  std::string warned;
  for (const auto& warning : outcome->report.warnings) {
    warnings_.Add({{"psa", tenant->psa}, {"code", warning.code}}).Increment();
    warned.append(warned.empty() ? "" : ", ").append(warning.code);
  }
  ActivityRecord a;
  a.outcome = outcome->report.ok ? activity::kCompleted : activity::kFailed;
  if (!outcome->report.ok) a.reason = "connection_test_failed";
  a.message = outcome->report.ok ? "every check passed" : "checks that failed: " + failed;
  if (!warned.empty()) a.message += "; more access than needed: " + warned;
  if (outcome->resumed) a.message += "; the tenant's suspension was lifted";
  record(call, std::move(a));
  log::info("connection test",
            {{"tenant", tenant->id}, {"psa", tenant->psa}, {"ok", outcome->report.ok ? "true" : "false"},
             {"warnings", static_cast<uint64_t>(outcome->report.warnings.size())}, {"resumed", outcome->resumed ? "true" : "false"}});
  return http::json_response(200, report_json(*tenant, *outcome));
}

}  // namespace switchyard::ingest
