#include "ingest/connection_test_handler.h"

#include "common/bearer_auth.h"
#include "common/http_client.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/rate_limiter.h"
#include "connectors/connection_test.h"
#include "connectors/instrumented_psa_http.h"
#include "connectors/rate_limited_psa_http.h"

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
                                             RedisSettings redis, Metrics& metrics, IngestMetrics& ingest_metrics,
                                             const ApiTokens& api_tokens, ConnectionTestOptions options)
    : tenants_(tenants),
      registry_(registry),
      redis_settings_(std::move(redis)),
      metrics_(metrics),
      ingest_metrics_(ingest_metrics),
      api_tokens_(api_tokens),
      options_(std::move(options)),
      tests_(prometheus::BuildCounter()
                 .Name("switchyard_connection_tests_total")
                 .Help("Connection tests run on request, by PSA and result (ok|failed|not_supported|unavailable)")
                 .Register(metrics.registry())),
      tester_([this] { run(); }) {}

ConnectionTestHandler::~ConnectionTestHandler() {
  std::deque<Job> left;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(queue_);
  }
  wake_.notify_all();
  for (Job& job : left) job.respond(http::error_response(503, "shutting_down", "ingest is shutting down"));
  tester_.join();
}

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
  if (tenants_.find(tenant_id) == nullptr) {
    return respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.queue) {
      queue_.push_back(Job{tenant_id, std::move(respond)});
      wake_.notify_one();
      return;
    }
  }
  respond(reject(503, "busy", "connection tests are queued up; try again in a few seconds"));
}

void ConnectionTestHandler::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.respond(test(job.tenant));
  }
}

http::Response ConnectionTestHandler::test(const std::string& tenant_id) {
  // Connections are made per test: tests are rare, and a connection kept idle for hours
  // would only go stale.
  const TenantRef tenant = tenants_.find(tenant_id);
  if (tenant == nullptr) return reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\"");
  const connectors::Connector* connector = registry_.find(tenant->psa);
  if (connector == nullptr) return reject(404, "unknown_psa", "no connector for psa \"" + tenant->psa + "\"");

  RedisClient redis(redis_settings_);
  RateLimiter limiter(redis, options_.rate_limit_prefix);
  connectors::auth::TokenProvider tokens(redis);
  http::HttpClient client;
  connectors::InstrumentedPsaHttp instrumented(client, metrics_, tenant->psa);
  const std::atomic<bool> never_stop{false};
  connectors::ThrottleOptions throttle;
  throttle.max_inline_wait = std::chrono::seconds(5);  // someone is waiting for the answer
  connectors::RateLimitedPsaHttp limited(instrumented, limiter, *tenant, connector->spec().budgets, never_stop, throttle);

  auto outcome = connectors::run_connection_test(*tenant, *connector, limited, tokens);
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
