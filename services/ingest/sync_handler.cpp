#include "ingest/sync_handler.h"

#include <simdjson.h>

#include <algorithm>

#include "common/bearer_auth.h"
#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/log.h"

namespace switchyard::ingest {
namespace {

bool blank(std::string_view body) {
  return std::all_of(body.begin(), body.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

SyncHandler::SyncHandler(const LiveTenants& tenants, Poller& poller, IngestMetrics& metrics,
                         const ApiTokens& api_tokens)
    : tenants_(tenants), poller_(poller), metrics_(metrics), api_tokens_(api_tokens) {}

http::Response SyncHandler::reject(int status, std::string_view code, std::string_view message) {
  metrics_.count_rejected("sync", std::string(code));
  return http::error_response(status, code, message);
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

  std::vector<std::string> entities;
  bool resync = false;
  if (blank(request.body)) {
    entities = tenant->poll.entities;
  } else {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(request.body).get(root) != simdjson::SUCCESS) {
      return respond(reject(400, "invalid_json", "the body is not valid JSON"));
    }
    simdjson::dom::object obj;
    if (root.get(obj) != simdjson::SUCCESS) {
      return respond(reject(400, "invalid_request", "the body must be a JSON object: {\"entities\": [...]}"));
    }
    for (auto [key, value] : obj) {
      if (key == "resync") {
        if (value.get(resync) != simdjson::SUCCESS) {
          return respond(reject(400, "invalid_request", "resync: must be true or false"));
        }
        continue;
      }
      if (key != "entities") {
        return respond(reject(400, "invalid_request",
                              "unknown field \"" + std::string(key.substr(0, 64)) + "\" (only \"entities\" and \"resync\")"));
      }
      simdjson::dom::array list;
      if (value.get(list) != simdjson::SUCCESS) {
        return respond(reject(400, "invalid_request", "entities: must be an array of entity names"));
      }
      for (simdjson::dom::element e : list) {
        std::string_view name;
        if (e.get(name) != simdjson::SUCCESS) {
          return respond(reject(400, "invalid_request", "entities: must be an array of entity names"));
        }
        if (std::find(entities.begin(), entities.end(), name) == entities.end()) entities.emplace_back(name);
      }
    }
    if (entities.empty()) entities = tenant->poll.entities;
  }
  for (const std::string& entity : entities) {
    if (std::find(tenant->poll.entities.begin(), tenant->poll.entities.end(), entity) == tenant->poll.entities.end()) {
      return respond(reject(400, "unknown_entity", "tenant \"" + tenant->id + "\" does not poll \"" +
                                                       entity.substr(0, 64) + "\" (it polls: " +
                                                       joined(tenant->poll.entities) + ")"));
    }
  }
  if (tenant->paused) {
    return respond(reject(409, "tenant_paused", "tenant \"" + tenant->id +
                                                    "\" is paused (\"paused\": true in its configuration): it is not polled"));
  }
  if (!tenant->poll.enabled) {
    return respond(reject(409, "polling_disabled", "polling is disabled for tenant \"" + tenant->id +
                                                       "\" (poll.enabled in the tenants file)"));
  }

  // A resync's id goes into its envelopes' idempotency keys (and the logs, to follow it).
  std::string resync_id;
  if (resync) {
    resync_id = "rs-";
    resync_id += crypto::random_hex(8);
  }
  JsonWriter accepted;
  accepted.begin_object().field("status", "scheduled").field("tenant", tenant->id).key("entities").begin_array();
  for (const auto& e : entities) accepted.value(e);
  accepted.end_array();
  if (resync) accepted.field("resync_id", resync_id);
  accepted.end_object();
  if (resync) {
    log::info("resync requested", {{"tenant", tenant->id}, {"token_id", auth.token->id},
                                   {"entities", joined(entities)}, {"resync_id", resync_id}});
  } else {
    log::info("sync requested", {{"tenant", tenant->id}, {"token_id", auth.token->id}, {"entities", joined(entities)}});
  }
  poller_.request_sync(*tenant, entities,
                       [this, body = accepted.take(), respond = std::move(respond)](const Status& status) {
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
