#include "ingest/command_handler.h"

#include "common/command.h"
#include "common/recipe.h"
#include "common/bearer_auth.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/trace.h"
#include "common/time_format.h"

namespace switchyard::ingest {
namespace {

// A command or a recipe command (common/recipe.h), checked and ready for the commands topic.
struct IncomingCommand {
  std::string id, tenant, type, key, json;
};

template <typename T, typename TypeOf, typename KeyOf>
IncomingCommand incoming(T& c, TypeOf type_of, KeyOf key_of) {
  if (c.issued_at.empty()) c.issued_at = now_rfc3339();
  return {c.id, c.tenant, std::string(type_of(c)), key_of(c), to_json(c)};
}

Result<IncomingCommand> read_command(std::string_view body) {
  auto command = command_from_json(body);
  if (command) return incoming(*command, command_type, command_partition_key);
  if (command.error().code != "unknown_command_type") return command.error();
  auto recipe = recipe_from_json(body);
  if (!recipe) return recipe.error();
  return incoming(*recipe, recipe_type, recipe_partition_key);
}

}  // namespace

CommandHandler::CommandHandler(const LiveTenants& tenants, KafkaProducer& producer, Metrics& metrics,
                               IngestMetrics& ingest_metrics, std::string topic, const ApiTokens& api_tokens)
    : tenants_(tenants), producer_(producer), metrics_(metrics), ingest_metrics_(ingest_metrics),
      topic_(std::move(topic)), api_tokens_(api_tokens) {}

http::Response CommandHandler::reject(int status, std::string_view code, std::string_view message) {
  ingest_metrics_.count_rejected("command", std::string(code));
  return http::error_response(status, code, message);
}

void CommandHandler::handle(http::Request&& request, http::Responder respond) {
  if (api_tokens_.empty()) {
    return respond(reject(403, "commands_disabled",
                          "commands over HTTP are disabled: configure SWITCHYARD_API_TOKENS_FILE"));
  }
  const std::string& tenant_id = request.params["tenant"];
  // The token must cover this tenant before anything says whether the tenant exists.
  const BearerAuth auth = authorize_bearer(api_tokens_, request.header("Authorization"), tenant_id, ApiScope::Commands);
  if (!auth.allowed()) {
    ingest_metrics_.count_rejected("command", auth.reason);
    return respond(auth.response());
  }
  const TenantRef tenant = tenants_.find(tenant_id);
  if (tenant == nullptr) return respond(reject(404, "unknown_tenant", "no tenant \"" + tenant_id + "\""));

  auto command = read_command(request.body);
  if (!command) {
    const int status = command.error().code == "invalid_json" ? 400 : 422;
    return respond(reject(status, command.error().code, command.error().message));
  }
  if (command->tenant != tenant_id) {
    return respond(reject(422, "tenant_mismatch", "tenant: \"" + command->tenant + "\" does not match the URL"));
  }
  const std::string& type = command->type;
  // The caller's trace (W3C traceparent) when it sends one, so its own traces join ours.
  std::string trace_id = trace_id_from_traceparent(request.header("traceparent"));
  if (trace_id.empty()) trace_id = new_trace_id();
  const std::vector<KafkaHeader> headers{{"sy-tenant", command->tenant},
                                         {"sy-command-type", type},
                                         {"sy-command-id", command->id},
                                         {std::string(kTraceHeader), trace_id}};
  JsonWriter accepted;
  accepted.begin_object()
      .field("status", "accepted")
      .field("command_id", command->id)
      .field("trace_id", trace_id)
      .end_object();
  producer_.produce(topic_, command->key, command->json, headers,
                    [this, tenant, type, trace_id, token_id = auth.token->id, command_id = command->id, body = accepted.take(),
                     respond = std::move(respond)](const DeliveryResult& r) {
                      metrics_.observe_produce(topic_, r.ok, r.latency_seconds);
                      if (r.ok) {
                        ingest_metrics_.count_command(tenant->id, type);
                        // Who sent which command: the token's id, never the token.
                        log::info("command accepted", {{"tenant", tenant->id}, {"token_id", token_id},
                                                       {"command_id", command_id}, {"type", type},
                                                       {"trace_id", trace_id}});
                        respond(http::json_response(202, body));
                        return;
                      }
                      log::error("command not stored: kafka did not acknowledge",
                                 {{"tenant", tenant->id}, {"error", r.error}});
                      ingest_metrics_.count_rejected("command", "kafka_unavailable");
                      auto resp = http::error_response(503, "kafka_unavailable", "the command could not be stored");
                      resp.headers.emplace_back("Retry-After", "5");
                      respond(std::move(resp));
                    });
}

}  // namespace switchyard::ingest
