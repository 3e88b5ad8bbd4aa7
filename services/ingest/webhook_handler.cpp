#include "ingest/webhook_handler.h"

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/tenant_ids.h"
#include "common/trace.h"
#include "ingest/change_envelopes.h"
#include "ingest/fetch_job.h"

namespace switchyard::ingest {

WebhookHandler::WebhookHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
                               EnvelopePublisher& publisher, IngestMetrics& metrics, PsaCallWorker& psa_calls,
                               std::string fetch_jobs_topic)
    : tenants_(tenants),
      registry_(registry),
      publisher_(publisher),
      metrics_(metrics),
      psa_calls_(psa_calls),
      fetch_jobs_topic_(std::move(fetch_jobs_topic)) {
  for (const std::string& psa : registry_.names()) {
    Tenant decoy;
    decoy.id = "-";
    decoy.psa = psa;
    decoy.webhook_signing_secrets = {crypto::random_hex(32)};  // never matches a signature anyone can make
    decoys_.emplace(psa, std::move(decoy));
  }
}

std::string_view WebhookHandler::check_url_secret(const Tenant& tenant, const std::string* given) {
  if (tenant.webhook_url_secrets.empty()) return given == nullptr ? "" : "unexpected_url_secret";
  if (given == nullptr) return "missing_url_secret";
  bool match = false;
  for (const auto& secret : tenant.webhook_url_secrets) match |= crypto::constant_time_equal(*given, secret);
  return match ? "" : "bad_url_secret";
}

http::Response WebhookHandler::reject(int status, std::string_view code, std::string_view message) {
  metrics_.count_rejected("webhook", std::string(code));
  return http::error_response(status, code, message);
}

http::Response WebhookHandler::unauthorized(std::string_view psa, std::string_view tenant_id,
                                            std::string_view reason) {
  metrics_.count_rejected("webhook", std::string(reason));
  // The path's tenant is logged so an operator can spot a mistyped webhook URL, but only when it
  // has the form of a tenant id: any other path segment is the caller's text, not ours to log.
  log::warn("webhook rejected",
            {{"psa", psa}, {"tenant", valid_tenant_id(tenant_id) ? tenant_id : "(not a tenant id)"}, {"reason", reason}});
  return http::error_response(401, "unauthorized", "signature check failed");
}

void WebhookHandler::handle(http::Request&& request, http::Responder respond) {
  const std::string& psa = request.params["psa"];
  const std::string& tenant_id = request.params["tenant"];
  const connectors::Connector* connector = registry_.find(psa);
  if (connector == nullptr) return respond(reject(404, "unknown_psa", "no connector for PSA \"" + psa + "\""));
  if (request.body.empty()) return respond(reject(400, "empty_body", "the webhook body is empty"));

  const TenantRef tenant = tenants_.find(tenant_id);
  std::string_view failure;
  if (tenant == nullptr) {
    failure = "unknown_tenant";
  } else if (tenant->psa != psa) {
    failure = "wrong_psa";
  }
  // The URL secret and the signature first, over the exact bytes received, before anything
  // parses them. A tenant that does not exist (here) is checked against a decoy, so its answer
  // takes as long.
  const Tenant& checked = failure.empty() ? *tenant : decoys_.at(psa);
  const auto secret = request.params.find("secret");
  const std::string_view url_failure =
      check_url_secret(checked, secret == request.params.end() ? nullptr : &secret->second);
  if (failure.empty()) failure = url_failure;
  // The path as the PSA was given it, without the URL secret.
  const std::string path = "/v1/webhooks/" + psa + "/" + tenant_id;
  const size_t query_at = request.target.find('?');
  const std::string query =
      query_at == std::string::npos ? std::string() : request.target.substr(query_at + 1);

  // A key the PSA serves for this webhook (when it names one on the tenant's own host): from
  // the cache, else fetched off the HTTP thread below.
  std::optional<std::string> key_url;
  std::vector<std::string> psa_keys;
  if (failure.empty()) {
    auto named = connector->webhook_key_url(*tenant, request.body);
    if (!named) {
      failure = "untrusted_key_url";
    } else if (*named) {
      key_url = std::move(**named);
      if (auto key = keys_.get(tenant->id, *key_url)) psa_keys.push_back(std::move(*key));
    }
  }
  const auto verified = connector->verify_webhook(
      checked, {request.body, request.headers, path, query, psa_keys.empty() ? nullptr : &psa_keys});
  if (failure.empty() && !verified) {
    if (key_url && keys_.claim_fetch(tenant->id, *key_url)) {
      return fetch_key_then_accept(tenant, *connector, std::move(*key_url), std::move(request), path, query,
                                   std::move(respond));
    }
    failure = verified.error().code;  // missing_signature, bad_signature
  }
  if (!failure.empty()) return respond(unauthorized(psa, tenant_id, failure));
  accept(tenant, *connector, request.body, request.header("traceparent"), std::move(respond));
}

void WebhookHandler::fetch_key_then_accept(TenantRef tenant, const connectors::Connector& connector,
                                           std::string key_url, http::Request&& request, std::string path,
                                           std::string query, http::Responder respond) {
  auto answer = std::make_shared<http::Responder>(std::move(respond));
  auto held = std::make_shared<http::Request>(std::move(request));
  const std::string psa = tenant->psa, tenant_id = tenant->id;
  const bool queued = psa_calls_.submit(
      tenant, connector,
      [this, tenant, &connector, key_url, held, path, query, answer](PsaCall& call) {
        auto key = connector.fetch_webhook_key(*tenant, call.http, key_url);
        if (!key) {
          metrics_.count_key_fetch(tenant->psa, "failed");
          log::warn("webhook signing key not fetched",
                    {{"tenant", tenant->id}, {"psa", tenant->psa}, {"error", key.error().message}});
          auto r = http::error_response(503, "signing_key_unavailable",
                                        "the PSA's signing key for this webhook could not be fetched; retry later");
          r.headers.emplace_back("Retry-After", "30");
          return (*answer)(std::move(r));
        }
        metrics_.count_key_fetch(tenant->psa, "fetched");
        keys_.put(tenant->id, key_url, *key);
        const std::vector<std::string> keys{std::move(*key)};
        const auto verified = connector.verify_webhook(*tenant, {held->body, held->headers, path, query, &keys});
        if (!verified) return (*answer)(unauthorized(tenant->psa, tenant->id, verified.error().code));
        accept(tenant, connector, held->body, held->header("traceparent"), std::move(*answer));
      },
      [answer] { (*answer)(http::error_response(503, "shutting_down", "ingest is shutting down")); });
  if (!queued) {
    metrics_.count_rejected("webhook", "busy");
    auto r = http::error_response(503, "busy", "too many webhook signing keys are being fetched; retry later");
    r.headers.emplace_back("Retry-After", "5");
    (*answer)(std::move(r));
  }
}

void WebhookHandler::accept(const TenantRef& tenant, const connectors::Connector& connector, std::string_view body,
                            std::string_view traceparent, http::Responder respond) {
  if (auto signal = connector.webhook_signal(*tenant, body)) {
    // No record changed, but none will arrive by webhook until the partner sets it up again.
    metrics_.count_webhook_signal(tenant->id, tenant->psa, signal->kind);
    if (signal->kind == "deactivated" && on_deactivated_) on_deactivated_(tenant->id);
    log::warn("the PSA switched the tenant's webhook off: changes arrive only by polling until it is registered "
              "again (POST /v1/tenants/{tenant}/webhooks)",
              {{"tenant", tenant->id}, {"psa", tenant->psa}, {"kind", signal->kind}, {"entity", signal->entity}});
    JsonWriter w;
    w.begin_object().field("status", "accepted").field("signal", signal->kind).end_object();
    return respond(http::json_response(202, w.take()));
  }
  auto changes = connector.decode_webhook(*tenant, body);
  if (!changes) {
    const int status = changes.error().code == "invalid_json" ? 400 : 422;
    return respond(reject(status, changes.error().code, changes.error().message));
  }

  // The jobs of partial changes go to Kafka with their envelopes: acknowledged together, or the
  // PSA retries the whole webhook.
  std::vector<OutgoingMessage> jobs;
  for (const FetchJob& job : fetch_jobs_for(*tenant, *changes, kPartialWebhookReason)) {
    jobs.push_back(OutgoingMessage{fetch_jobs_topic_, fetch_job_key(job), to_json(job), fetch_job_headers(job)});
  }
  // One trace for the webhook's changes: the PSA's traceparent when it sends one, else a new one.
  std::string trace_id = trace_id_from_traceparent(traceparent);
  if (trace_id.empty()) trace_id = new_trace_id();
  auto envelopes = to_envelopes(*tenant, std::move(*changes), "webhook", {}, trace_id);
  JsonWriter accepted;
  accepted.begin_object().field("status", "accepted").field("trace_id", trace_id).key("idempotency_keys").begin_array();
  for (const auto& e : envelopes) accepted.value(e.idempotency_key);
  accepted.end_array().end_object();

  const size_t count = envelopes.size(), job_count = jobs.size();
  publisher_.publish(envelopes, jobs, [this, tenant, count, job_count, body = accepted.take(),
                                       respond = std::move(respond)](bool ok, const std::string& error) {
    if (ok) {
      metrics_.count_accepted(tenant->id, tenant->psa, "webhook", count);
      if (job_count > 0) metrics_.count_fetch_job(tenant->id, "scheduled", job_count);
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
