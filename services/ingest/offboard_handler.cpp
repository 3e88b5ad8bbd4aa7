#include "ingest/offboard_handler.h"

#include "common/json_writer.h"
#include "common/log.h"
#include "ingest/webhook_keeper.h"
#include "ingest/webhook_registration_handler.h"

namespace switchyard::ingest {

OffboardHandler::OffboardHandler(TenantAdminRoute route, PsaCallWorker& psa_calls, RedisWorker& redis,
                                 AuditTrail& audit, std::string public_webhook_url)
    : route_(std::move(route)),
      psa_calls_(psa_calls),
      redis_(redis),
      audit_(audit),
      public_webhook_url_(std::move(public_webhook_url)) {
  while (!public_webhook_url_.empty() && public_webhook_url_.back() == '/') public_webhook_url_.pop_back();
}

void OffboardHandler::handle(http::Request&& request, http::Responder respond) {
  auto claim = route_.admit_claim(request, respond);
  if (!claim) return;
  auto run = std::make_shared<Run>();
  run->actor = "token:" + claim->token->id;
  run->report.tenant = claim->id;
  run->report.configured = claim->tenant != nullptr;
  run->respond = std::move(respond);
  const TenantRef& tenant = claim->tenant;

  if (tenant != nullptr && !tenant->paused) {
    route_.metrics.count_offboard("refused");
    audit_.record({run->actor, "offboard", claim->id, "refused", R"({"reason":"tenant_active"})"});
    return run->respond(route_.reject(
        409, "tenant_active",
        "tenant \"" + claim->id + "\" is configured and not paused: set \"paused\": true in its configuration "
        "and wait for the reload, so nothing polls or dispatches for it while its keys are deleted"));
  }
  if (tenant == nullptr) {
    run->report.webhooks = {"skipped", "not_configured",
                            "the tenant is no longer in the tenants file, so its PSA credentials are unknown: remove "
                            "the webhooks that call /v1/webhooks/<psa>/" + claim->id + " in the PSA by hand (next "
                            "time, offboard before removing the tenant from the file)"};
    return remove_keys(std::move(run));
  }
  const connectors::Connector* connector = route_.registry.find(tenant->psa);
  if (connector == nullptr || public_webhook_url_.empty()) {
    run->report.webhooks = connector == nullptr
        ? WebhookRemoval{"skipped", "unknown_psa", "no connector for psa \"" + tenant->psa + "\""}
        : WebhookRemoval{"skipped", "no_public_webhook_url",
                         "SWITCHYARD_PUBLIC_WEBHOOK_URL is not set, so this deployment registered no webhooks"};
    return remove_keys(std::move(run));
  }
  const bool queued = psa_calls_.submit(
      tenant, *connector,
      [this, run](PsaCall& call) {
        run->report.webhooks = unregister(call);
        remove_keys(run);
      },
      [this, run] { fail(*run, 503, "shutting_down", "ingest is shutting down"); });
  if (!queued) fail(*run, 503, "busy", "the PSA-calling worker is busy; try again in a few seconds");
}

WebhookRemoval OffboardHandler::unregister(PsaCall& call) const {
  // Only what Switchyard registered through the API (remembered until removed, as the keeper
  // does): so a second run calls no PSA, and the partner's own webhooks are theirs.
  if (call.redis != nullptr) {
    auto registered = call.redis->command({"EXISTS", webhooks_registered_key(call.tenant.id)});
    if (registered && registered->type == RedisReply::Type::Integer && registered->integer == 0) {
      return {"none_registered", "",
              "Switchyard registered no webhooks for the tenant through the API (or an earlier offboarding removed "
              "them); webhooks the partner set up in the PSA are theirs to remove"};
    }
  }
  // Never logged: it may end in the tenant's URL secret.
  const std::string url = WebhookRegistrationHandler::callback_url(public_webhook_url_, call.tenant);
  auto removed = call.connector.unregister_webhooks(call.tenant, call.http, url);
  if (removed) return {"unregistered", "", ""};
  const Error& e = removed.error();
  if (e.code == connectors::kNotSupported) {
    return {"not_supported", "", std::string(call.connector.display_name()) +
                                     " webhooks are set up by the partner in the PSA; Switchyard registered none"};
  }
  log::warn("offboarding: webhooks not unregistered", {{"tenant", call.tenant.id}, {"psa", call.tenant.psa},
                                                        {"code", e.code}});
  return {"failed", e.code,
          e.message + "; the registration is remembered (sy:webhooks), so offboarding again once the PSA answers "
                      "removes them, or remove them in the PSA"};
}

void OffboardHandler::remove_keys(std::shared_ptr<Run> run) {
  const bool queued = redis_.submit(
      [this, run](RedisClient& redis) {
        TenantKeyRemovalOptions options;
        // A webhook the PSA would not remove stays remembered, so the next run tries again.
        if (!run->report.webhooks.done()) options.keep = {"webhooks"};
        auto removed = remove_tenant_keys(redis, run->report.tenant, options);
        if (!removed) {
          log::warn("offboarding: keys not removed", {{"tenant", run->report.tenant}, {"code", removed.error().code}});
          return fail(*run, 503, "redis_unavailable",
                      "the tenant's Redis keys could not all be removed (" + removed.error().message +
                          "); offboarding is safe to run again");
        }
        run->report.keys = std::move(*removed);
        for (const RemovedKeys& f : run->report.keys.families) {
          if (f.removed > 0) route_.metrics.count_offboard_removed(f.family, f.removed);
        }
        log::info("tenant offboarded", {{"tenant", run->report.tenant}, {"keys_removed", run->report.keys.total()},
                                        {"webhooks", run->report.webhooks.outcome}});
        const std::string outcome = run->report.outcome();
        route_.metrics.count_offboard(outcome);
        audit_.record({run->actor, "offboard", run->report.tenant, outcome, run->report.audit_details()});
        run->respond(http::json_response(200, run->report.to_json()));
      },
      [this, run] { fail(*run, 503, "shutting_down", "ingest is shutting down"); });
  if (!queued) fail(*run, 503, "busy", "offboarding is busy; try again in a few seconds");
}

void OffboardHandler::fail(Run& run, int status, std::string_view code, const std::string& message) {
  route_.metrics.count_offboard("failed");
  JsonWriter details;
  details.begin_object().field("reason", code);
  // Webhooks may have been unregistered before the keys failed: the record says so.
  if (!run.report.webhooks.outcome.empty()) details.field("webhooks", run.report.webhooks.outcome);
  details.end_object();
  audit_.record({run.actor, "offboard", run.report.tenant, "failed", details.take()});
  run.respond(route_.reject(status, code, message));
}

}  // namespace switchyard::ingest
