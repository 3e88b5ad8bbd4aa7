#include "ingest/webhook_registration_handler.h"

#include "common/json_writer.h"
#include "common/log.h"
#include "common/time_format.h"
#include "ingest/webhook_keeper.h"

namespace switchyard::ingest {

WebhookRegistrationHandler::WebhookRegistrationHandler(const LiveTenants& tenants,
                                                       const connectors::ConnectorRegistry& registry,
                                                       PsaCallWorker& worker, IngestMetrics& metrics,
                                                       const ApiTokens& api_tokens, std::string public_webhook_url)
    : route_{"webhooks", ApiScope::Admin, api_tokens, tenants, registry, metrics},
      worker_(worker),
      public_webhook_url_(std::move(public_webhook_url)) {
  while (!public_webhook_url_.empty() && public_webhook_url_.back() == '/') public_webhook_url_.pop_back();
}

std::string WebhookRegistrationHandler::callback_url(const std::string& public_webhook_url, const Tenant& tenant) {
  std::string url = public_webhook_url + "/v1/webhooks/" + tenant.psa + "/" + tenant.id;
  if (!tenant.webhook_url_secrets.empty()) url += "/" + tenant.webhook_url_secrets.back();  // the newest
  return url;
}

void WebhookRegistrationHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  const bool remove = request.method == "DELETE";
  if (public_webhook_url_.empty() && !remove) {
    return respond(route_.reject(409, "no_public_webhook_url",
                                 "set SWITCHYARD_PUBLIC_WEBHOOK_URL to the address PSAs reach ingest's webhook "
                                 "listener at (e.g. https://hooks.example.com)"));
  }
  auto answer = std::make_shared<http::Responder>(std::move(respond));
  const bool queued = worker_.submit(
      target->tenant, *target->connector, [this, answer, remove](PsaCall& call) { (*answer)(run(call, remove)); },
      [this, answer] { (*answer)(route_.reject(503, "shutting_down", "ingest is shutting down")); });
  if (!queued) (*answer)(route_.reject(503, "busy", "the PSA-calling worker is busy; try again in a few seconds"));
}

http::Response WebhookRegistrationHandler::run(PsaCall& call, bool remove) {
  const Tenant& tenant = call.tenant;
  // Never logged: it may end in the tenant's URL secret.
  const std::string url = public_webhook_url_.empty() ? std::string() : callback_url(public_webhook_url_, tenant);
  const auto refused = [&](const Error& e) {
    log::warn(remove ? "webhooks not unregistered" : "webhooks not registered",
              {{"tenant", tenant.id}, {"psa", tenant.psa}, {"code", e.code}});
    if (e.code == connectors::kNotSupported) return route_.reject(501, "not_supported", e.message);
    if (e.code == "throttled" || e.code == "connect_failed" || e.code == "timeout") {
      return route_.reject(503, "psa_unavailable", "the PSA could not be reached: " + e.message);
    }
    return route_.reject(502, "psa_refused", e.message);
  };
  JsonWriter w;
  w.begin_object().field("tenant", tenant.id).field("psa", tenant.psa);
  if (remove) {
    if (auto st = call.connector.unregister_webhooks(tenant, call.http, url); !st) return refused(st.error());
    // The keeper stops re-registering them (ingest/webhook_keeper.h).
    if (call.redis != nullptr) (void)call.redis->command({"DEL", webhooks_registered_key(tenant.id)});
    log::info("webhooks unregistered", {{"tenant", tenant.id}, {"psa", tenant.psa}});
    w.field("removed", true).end_object();
    return http::json_response(200, w.take());
  }
  auto registered = call.connector.register_webhooks(tenant, call.http, url);
  if (!registered) return refused(registered.error());
  // From now on the keeper checks they stay registered (ingest/webhook_keeper.h).
  if (call.redis == nullptr ||
      !call.redis->command({"HSET", webhooks_registered_key(tenant.id), "registered_at", now_rfc3339()})) {
    log::warn("webhook registration not remembered: a PSA switching them off is not repaired",
              {{"tenant", tenant.id}, {"psa", tenant.psa}});
  }
  log::info("webhooks registered", {{"tenant", tenant.id}, {"psa", tenant.psa},
                                    {"changed", registered->changed ? "true" : "false"}});
  // The answer goes to the tenant's own admin: the URL with its secret is what they configured.
  w.field("callback_url", url).key("ids").begin_array();
  for (const auto& id : registered->ids) w.value(id);
  w.end_array().field("changed", registered->changed).end_object();
  return http::json_response(200, w.take());
}

}  // namespace switchyard::ingest
