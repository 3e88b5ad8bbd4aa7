#include "ingest/sync_handler.h"

#include <algorithm>

#include "common/bearer_auth.h"
#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/time_format.h"
#include "ingest/fetch_job.h"

namespace switchyard::ingest {
namespace {

template <typename List>
std::string joined(const List& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.append(", ");
    out.append(item);
  }
  return out;
}

}  // namespace

SyncHandler::SyncHandler(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry, Poller& poller,
                         EnvelopePublisher& publisher, std::string fetch_jobs_topic, IngestMetrics& metrics,
                         const ApiTokens& api_tokens)
    : tenants_(tenants),
      registry_(registry),
      poller_(poller),
      publisher_(publisher),
      fetch_jobs_topic_(std::move(fetch_jobs_topic)),
      metrics_(metrics),
      api_tokens_(api_tokens) {}

http::Response SyncHandler::reject(int status, std::string_view code, std::string_view message) {
  metrics_.count_rejected("sync", std::string(code));
  return http::error_response(status, code, message);
}

std::optional<http::Response> SyncHandler::check_records(const Tenant& tenant, const SyncRequest& request) {
  if (request.records.empty()) return std::nullopt;
  const connectors::Connector* connector = registry_.find(tenant.psa);
  const std::vector<std::string_view> fetchable =
      connector != nullptr ? connector->fetchable_entities() : std::vector<std::string_view>{};
  const std::string product(connector != nullptr ? connector->display_name() : std::string_view(tenant.psa));
  if (fetchable.empty()) {
    return reject(400, "import_not_supported",
                  "records: " + product + " (tenant \"" + tenant.id + "\") cannot import records by id yet");
  }
  for (size_t i = 0; i < request.records.size(); ++i) {
    const RecordRef& r = request.records[i];
    if (std::find(fetchable.begin(), fetchable.end(), r.entity) != fetchable.end()) continue;
    std::string message = "records[";
    message.append(std::to_string(i)).append("].entity: ").append(product).append(" cannot import \"");
    message.append(r.entity).append("\" by id (it can: ").append(joined(fetchable)).append(")");
    return reject(400, "unknown_entity", message);
  }
  return std::nullopt;
}

void SyncHandler::handle(http::Request&& request, http::Responder respond) {
  if (api_tokens_.empty()) {
    return respond(reject(403, "sync_disabled", "sync over HTTP is disabled: configure SWITCHYARD_API_TOKENS_FILE"));
  }
  const std::string& tenant_id = request.params["tenant"];
  // The token must cover this tenant before anything says whether the tenant exists.
  const BearerAuth auth = authorize_bearer(api_tokens_, request.header("Authorization"), tenant_id, ApiScope::Sync);
  if (!auth.allowed()) {
    metrics_.count_rejected("sync", auth.reason);
    return respond(auth.response());
  }
  const TenantRef tenant = tenants_.find(tenant_id);
  if (tenant == nullptr) return respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));

  auto parsed = parse_sync_request(request.body);
  if (!parsed) return respond(reject(400, parsed.error().code, parsed.error().message));
  const SyncRequest& wanted = *parsed;
  const bool polls = wanted.polls();
  std::vector<std::string> entities;
  if (polls) entities = wanted.entities.empty() ? tenant->poll.entities : wanted.entities;
  for (const std::string& entity : entities) {
    if (std::find(tenant->poll.entities.begin(), tenant->poll.entities.end(), entity) == tenant->poll.entities.end()) {
      return respond(reject(400, "unknown_entity", "tenant \"" + tenant->id + "\" does not poll \"" +
                                                       entity.substr(0, 64) + "\" (it polls: " +
                                                       joined(tenant->poll.entities) + ")"));
    }
  }
  if (auto refused = check_records(*tenant, wanted)) return respond(std::move(*refused));
  if (tenant->paused) {
    return respond(reject(409, "tenant_paused", "tenant \"" + tenant->id +
                                                    "\" is paused (\"paused\": true in its configuration): it is not polled"));
  }
  if (polls && !tenant->poll.enabled) {
    return respond(reject(409, "polling_disabled", "polling is disabled for tenant \"" + tenant->id +
                                                       "\" (poll.enabled in the tenants file)"));
  }

  // A resync's id goes into its envelopes' idempotency keys (and the logs, to follow it).
  std::string resync_id;
  if (polls && wanted.resync) {
    resync_id = "rs-";
    resync_id += crypto::random_hex(8);
  }
  std::vector<OutgoingMessage> jobs;
  const std::string now = now_rfc3339();
  for (const RecordRef& r : wanted.records) {
    const FetchJob job{tenant->id, tenant->psa, r.entity, r.id, std::string(kImportReason), now};
    jobs.push_back(OutgoingMessage{fetch_jobs_topic_, fetch_job_key(job), to_json(job), fetch_job_headers(job)});
  }
  JsonWriter accepted;
  accepted.begin_object().field("status", "scheduled").field("tenant", tenant->id).key("entities").begin_array();
  for (const auto& e : entities) accepted.value(e);
  accepted.end_array();
  if (!resync_id.empty()) accepted.field("resync_id", resync_id);
  if (!wanted.records.empty()) {
    accepted.key("records").begin_array();
    for (const RecordRef& r : wanted.records) accepted.begin_object().field("entity", r.entity).field("id", r.id).end_object();
    accepted.end_array();
  }
  accepted.end_object();
  if (!resync_id.empty()) {
    log::info("resync requested", {{"tenant", tenant->id}, {"token_id", auth.token->id},
                                   {"entities", joined(entities)}, {"resync_id", resync_id}});
  } else if (polls) {
    log::info("sync requested", {{"tenant", tenant->id}, {"token_id", auth.token->id}, {"entities", joined(entities)}});
  }
  if (jobs.empty()) return schedule_poll(tenant, entities, std::move(resync_id), accepted.take(), std::move(respond));

  // Record ids only (never a record's content) in the log.
  std::vector<std::string> named;
  for (const RecordRef& r : wanted.records) named.push_back(r.entity + ":" + r.id);
  log::info("import requested", {{"tenant", tenant->id}, {"token_id", auth.token->id}, {"records", joined(named)}});
  const size_t count = jobs.size();
  // The 202 only once Kafka holds every job, as for a webhook's jobs.
  publisher_.publish({}, jobs,
                     [this, tenant, count, polls, entities, resync_id = std::move(resync_id), body = accepted.take(),
                      respond = std::move(respond)](bool ok, const std::string& error) mutable {
                       if (!ok) {
                         log::error("import not scheduled: kafka did not acknowledge",
                                    {{"tenant", tenant->id}, {"error", error}});
                         metrics_.count_rejected("sync", "kafka_unavailable");
                         auto r = http::error_response(503, "kafka_unavailable",
                                                       "the records could not be scheduled; retry later");
                         r.headers.emplace_back("Retry-After", "5");
                         return respond(std::move(r));
                       }
                       metrics_.count_fetch_job(tenant->id, "scheduled", count);
                       if (!polls) return respond(http::json_response(202, body));
                       schedule_poll(tenant, entities, std::move(resync_id), std::move(body), std::move(respond));
                     });
}

void SyncHandler::schedule_poll(const TenantRef& tenant, const std::vector<std::string>& entities,
                                std::string resync_id, std::string body, http::Responder respond) {
  poller_.request_sync(*tenant, entities,
                       [this, body = std::move(body), respond = std::move(respond)](const Status& status) {
                         if (status) {
                           respond(http::json_response(202, body));
                           return;
                         }
                         log::error("sync not scheduled", {{"error", status.error().message}});
                         const std::string code =
                             status.error().code == "shutting_down" ? "shutting_down" : "redis_unavailable";
                         metrics_.count_rejected("sync", code);
                         auto r = http::error_response(503, code, "the sync could not be scheduled");
                         r.headers.emplace_back("Retry-After", "5");
                         respond(std::move(r));
                       },
                       std::move(resync_id));
}

}  // namespace switchyard::ingest
