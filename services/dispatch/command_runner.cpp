#include "dispatch/command_runner.h"

#include <algorithm>

#include "common/command_echo.h"
#include "common/trace.h"
#include "common/dead_letter.h"
#include "common/log.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "connectors/heartbeat_psa_http.h"
#include "connectors/instrumented_psa_http.h"
#include "connectors/rate_limited_psa_http.h"
#include "dispatch/retry_route.h"

namespace switchyard::dispatch {
namespace {

int64_t wall_ms(SteadyClock::time_point steady) {
  const auto from_now = steady - SteadyClock::now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (std::chrono::system_clock::now() + from_now).time_since_epoch())
      .count();
}

// The vendor's id of the command or recipe command ("" when unreadable).
std::string id_of(const WindowEntry& e) {
  if (e.recipe) return e.recipe->id;
  return e.command ? e.command->id : std::string();
}

std::string type_of(const WindowEntry& e) {
  if (e.recipe) return std::string(recipe_type(*e.recipe));
  return e.command ? std::string(command_type(*e.command)) : std::string();
}

// What the partner reads about a finished or parked command: ids and fixed words, or the
// connector's plain-language reason (which never echoes a PSA's answer).
std::string activity_message(const CommandResult& r) {
  if (r.outcome == "created") return "made PSA record " + r.psa_id;
  if (r.outcome == "updated") return "updated PSA record " + r.psa_id;
  if (r.outcome == "skipped_duplicate") return "already executed as PSA record " + r.psa_id + "; not sent again";
  if (r.outcome == "parked") return "waiting: " + r.reason;
  return r.reason;
}

std::string external_ref_of(const Command& c) {
  return std::visit([](const auto& p) { return p.external_ref; }, c.payload);
}

}  // namespace

// The trace id ingest gave the command (Kafka header sy-trace); a command produced straight to
// the topic has none, and its id stands in.
std::string trace_of(const WindowEntry& e) {
  for (const auto& h : e.message.headers) {
    if (h.name == kTraceHeader) return h.value;
  }
  return id_of(e);
}

CommandRunner::CommandRunner(RunnerContext& context, Heartbeat* beat)
    : ctx_(context),
      beat_(beat),
      redis_(context.config.redis),
      limiter_(redis_),
      memo_(redis_, context.metrics, context.options.write_memo_ttl),
      recipes_(redis_, context.options.recipe_state_ttl),
      echoes_(redis_, context.options.echo_ttl),
      activity_(context.config.activity, "dispatch", redis_, context.producer, context.activity_metrics),
      tokens_(redis_) {}

std::chrono::milliseconds CommandRunner::backoff(int attempt) {
  // Full jitter: uniform in [base/2, base], base = initial * 2^(attempt-1), capped.
  const auto& o = ctx_.options;
  const std::chrono::milliseconds grown(o.initial_backoff.count() * (1LL << std::min(attempt - 1, 20)));
  const auto base = std::min(o.max_backoff, grown);
  std::uniform_int_distribution<int64_t> dist(base.count() / 2, base.count());
  return std::chrono::milliseconds(dist(jitter_));
}

CommandResult CommandRunner::result_of(const WindowEntry& e, std::string outcome) const {
  CommandResult r;
  r.tenant = e.tenant;
  r.outcome = std::move(outcome);
  r.attempts = e.attempts;
  if (e.command) {
    r.command_id = e.command->id;
    if (r.tenant.empty()) r.tenant = e.command->tenant;
    r.type = std::string(command_type(*e.command));
    r.external_ref = external_ref_of(*e.command);
  } else if (e.recipe) {
    r.command_id = e.recipe->id;
    if (r.tenant.empty()) r.tenant = e.recipe->tenant;
    r.type = std::string(recipe_type(*e.recipe));
    r.external_ref = recipe_subject(*e.recipe);
  }
  if (const TenantRef t = ctx_.tenants.find(e.tenant)) r.psa = t->psa;
  return r;
}

void CommandRunner::mark_echoes(const Command& command, const connectors::WriteOutcome& outcome) {
  const auto records = echo_records_of(command, outcome.psa_id, outcome.parent_psa_id);
  if (auto st = echoes_.record(records, command.id); !st) {
    // Only the cost of a missed echo: normalize treats the change as the MSP's.
    ctx_.metrics.count_redis_error("echo_mark");
    log::warn("echo marks not recorded", {{"tenant", command.tenant}, {"command_id", command.id},
                                          {"records", static_cast<int64_t>(records.size())},
                                          {"error", st.error().message}});
  }
}

void CommandRunner::record_activity(const WindowEntry& e, const CommandResult& r, const std::string& dead_letter) {
  const TenantRef tenant = ctx_.tenants.find(r.tenant);
  if (tenant == nullptr) return;
  ActivityRecord a;
  a.tenant = tenant->id;
  a.kind = activity::kCommand;
  a.entity = r.type;
  a.psa_id = r.psa_id;
  a.outcome = r.outcome;
  a.reason = r.reason_code;
  a.message = activity_message(r);
  a.trace_id = trace_of(e);
  a.command_id = r.command_id;
  a.dead_letter = dead_letter;
  activity_.record(std::move(a));
}

void CommandRunner::record_retry(const WindowEntry& e, const std::string& detail, std::chrono::milliseconds wait) {
  CommandResult r = result_of(e, std::string(activity::kRetried));
  r.reason_code = "psa_failing";
  r.reason = "attempt " + std::to_string(e.attempts) + " of " + std::to_string(ctx_.options.max_attempts) +
             " failed, tried again in " + std::to_string((wait.count() + 999) / 1000) + " s: " + detail;
  record_activity(e, r);
}

bool CommandRunner::publish(const WindowEntry& e, CommandResult result, bool wait, const std::string& dead_letter) {
  const std::string& topic = ctx_.config.topics.command_results;
  const std::string value = to_json(result);
  if (!wait) {
    record_activity(e, result);
    Metrics& metrics = ctx_.metrics;
    ctx_.producer.produce(topic, e.message.key, value, {}, [&metrics, topic](const DeliveryResult& d) {
      metrics.observe_produce(topic, d.ok, d.latency_seconds);
    });
    return true;
  }
  beat();  // the acknowledgement may take up to the delivery timeout
  const DeliveryResult d = ctx_.producer.produce_sync(topic, e.message.key, value);
  ctx_.metrics.observe_produce(topic, d.ok, d.latency_seconds);
  if (!d.ok) {
    log::warn("command result not stored; the command comes again", {{"tenant", e.tenant}, {"error", d.error}});
    return false;
  }
  record_activity(e, result, dead_letter);
  return true;
}

RunOutcome CommandRunner::finished(WindowEntry& e) {
  if (e.from_retry) forget_diversion(redis_, ctx_.metrics, e);
  return RunOutcome{};
}

RunOutcome CommandRunner::park(WindowEntry& e, SteadyClock::time_point until, std::string reason,
                               const std::string& detail) {
  ctx_.dispatch_metrics.count_parked(e.tenant, reason);
  const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now()).count();
  log::info("tenant parked", {{"tenant", e.tenant}, {"reason", reason}, {"wait_ms", static_cast<int64_t>(wait_ms)},
                              {"command_id", id_of(e)}});
  if (e.parked_since_ms == 0) {
    e.parked_since_ms = wall_ms(SteadyClock::now());
    CommandResult r = result_of(e, "parked");
    r.reason_code = reason;
    r.reason = detail;
    r.parked_until_ms = wall_ms(until);
    publish(e, std::move(r), false);  // a progress note: the final outcome follows
  }
  return RunOutcome{RunOutcome::Kind::Parked, until, std::move(reason)};
}

RunOutcome CommandRunner::would_send(WindowEntry& e, const connectors::RenderedRequest& request) {
  CommandResult r = result_of(e, std::string(activity::kWouldSend));
  r.reason_code = "test_mode";
  r.reason = "test mode: would send " + request.method + " " + request.url + "; nothing was written";
  r.would_send = request;
  const std::string psa = r.psa, type = r.type;
  // Not recorded as executed: the same command runs for real once the tenant is live.
  if (!publish(e, std::move(r), true)) {
    return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
  }
  ctx_.dispatch_metrics.count_command(e.tenant, psa, type, "would_send");
  log::info("test mode: command rendered, not sent", {{"tenant", e.tenant},
                                                       {"command_id", id_of(e)},
                                                       {"method", request.method},
                                                       {"trace_id", trace_of(e)}});
  return finished(e);
}

RunOutcome CommandRunner::dead_letter(WindowEntry& e, const std::string& code, const std::string& reason) {
  DeadLetter letter{"dispatch", code, reason, e.tenant, e.attempts};
  const std::string& topic = ctx_.config.topics.commands_dead_letter;
  beat();
  const DeliveryResult d =
      ctx_.producer.produce_sync(topic, e.message.key, dead_letter_json(letter, e.message), dead_letter_headers(letter, e.message));
  ctx_.metrics.observe_produce(topic, d.ok, d.latency_seconds);
  if (!d.ok) {
    log::error("dead letter not stored; command will be retried", {{"tenant", e.tenant}, {"error", d.error}});
    return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
  }
  CommandResult r = result_of(e, "dead_lettered");
  r.reason_code = code;
  r.reason = reason;
  if (!publish(e, std::move(r), true, to_string(DeadLetterPlace{topic, d.partition, d.offset}))) {
    return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
  }
  // Only configured tenants become label values: a message's own tenant field is unbounded.
  const TenantRef tenant = ctx_.tenants.find(e.tenant);
  ctx_.metrics.count_dead_letter(topic, tenant ? tenant->id : "", code);
  if (tenant && (e.command || e.recipe)) {
    ctx_.dispatch_metrics.count_command(tenant->id, tenant->psa, type_of(e), "dead_lettered");
  }
  log::warn("command dead-lettered", {{"tenant", e.tenant}, {"reason_code", code}, {"reason", reason},
                                      {"attempts", e.attempts}, {"trace_id", trace_of(e)}});
  return finished(e);
}

bool CommandRunner::expire(WindowEntry& e) {
  const auto hours = ctx_.options.max_park.count() / 3600.0;
  char text[160];
  std::snprintf(text, sizeof text,
                "the tenant's PSA kept throttling or failing: the command waited more than %.1f hours", hours);
  return dead_letter(e, "parked_too_long", text).kind == RunOutcome::Kind::Finished;
}

RunOutcome CommandRunner::run(WindowEntry& e, const std::atomic<bool>& stop) {
  if (!e.command && !e.recipe) return dead_letter(e, e.command.error().code, e.command.error().message);
  const std::string& named = e.recipe ? e.recipe->tenant : e.command->tenant;
  // The tenant as configured now, held until the command is done even if a reload drops it.
  const TenantRef tenant = ctx_.tenants.find(named);
  if (tenant == nullptr) {
    return dead_letter(e, "unknown_tenant", "no tenant \"" + named + "\" is configured");
  }
  if (tenant->paused) {
    // Looked at again every few seconds: resuming is a reload away.
    return park(e, SteadyClock::now() + ctx_.options.paused_recheck, std::string(kTenantPaused),
                "the tenant is paused (\"paused\": true in its configuration); its commands wait until it is resumed");
  }
  const connectors::Connector* connector = ctx_.registry.find(tenant->psa);
  if (connector == nullptr) return dead_letter(e, "unknown_psa", "no connector for psa \"" + tenant->psa + "\"");
  if (e.recipe) return run_recipe(e, *tenant, *connector);
  const Command& command = *e.command;
  const std::string type(command_type(command));
  if (const auto supported = connector->supported_commands(); std::ranges::find(supported, type) == supported.end()) {
    // Retrying cannot help: said at once, in words the vendor can pass on.
    return dead_letter(e, "unsupported_command",
                       std::string(connector->display_name()) + " does not support the command " + type);
  }

  // Already executed (a redelivery after a crash before the offset was committed)? When Redis
  // cannot say, the command runs: the connector looks the record up by its external reference
  // before any create, so a second record is still never made.
  const std::string done_key = "sy:cmd:" + tenant->id + ":" + command.id;
  auto seen = redis_.checked_command({"GET", done_key});
  if (!seen) {
    ctx_.metrics.count_redis_error("command_done_check");
    log::warn("executed-command check failed; relying on the PSA lookup by external reference",
              {{"tenant", tenant->id}, {"command_id", command.id}, {"error", seen.error().message}});
  } else if (seen->type == RedisReply::Type::String) {
    CommandResult r = result_of(e, "skipped_duplicate");
    r.psa_id = seen->str;
    if (!publish(e, std::move(r), true)) {
      return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
    }
    ctx_.dispatch_metrics.count_command(tenant->id, tenant->psa, type, "skipped_duplicate");
    log::info("command already executed, skipped", {{"tenant", tenant->id}, {"command_id", command.id}});
    return finished(e);
  }

  connectors::InstrumentedPsaHttp instrumented(http_, ctx_.metrics, tenant->psa);
  connectors::HeartbeatPsaHttp beating(instrumented, beat_);
  connectors::ThrottleOptions throttle;
  throttle.max_inline_wait = ctx_.options.max_inline_wait;
  DispatchMetrics& dm = ctx_.dispatch_metrics;
  const std::string tenant_id = tenant->id;
  throttle.on_wait = [&dm, tenant_id](double seconds) { dm.add_throttled(tenant_id, seconds); };
  connectors::RateLimitedPsaHttp psa(beating, limiter_, *tenant, connector->spec().budgets, stop, throttle);
  connectors::auth::TokenAuthPsaHttp authorized(psa, tokens_, *tenant, connector->token_source());
  // Test mode: reads go through, the write is kept instead of sent (docs/test-mode.md).
  connectors::TestModePsaHttp test_mode(authorized, [connector](const http::ClientRequest& r) { return connector->is_read(r); });
  connectors::PsaHttp& calls = tenant->test_mode ? static_cast<connectors::PsaHttp&>(test_mode) : authorized;
  const connectors::WriteOutcome outcome = connector->execute(*tenant, command, calls, memo_);
  using Kind = connectors::WriteOutcome::Kind;
  beat();
  if (tenant->test_mode && test_mode.would_send()) return would_send(e, *test_mode.would_send());
  if (outcome.kind == Kind::Done) {
    auto recorded = redis_.checked_command(
        {"SET", done_key, outcome.psa_id, "EX", std::to_string(ctx_.options.command_record_ttl.count())});
    if (!recorded) {
      // The connector's lookup by external reference still prevents a second record.
      ctx_.metrics.count_redis_error("command_done_record");
      log::warn("executed command not recorded", {{"tenant", tenant->id}, {"error", recorded.error().message}});
    }
    mark_echoes(command, outcome);
    CommandResult r = result_of(e, outcome.created ? "created" : "updated");
    r.psa_id = outcome.psa_id;
    if (!publish(e, std::move(r), true)) {
      // Comes again; the executed-command record turns it into skipped_duplicate with this id.
      return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
    }
    dm.count_command(tenant->id, tenant->psa, type, outcome.created ? "created" : "updated");
    log::info("command executed", {{"tenant", tenant->id}, {"psa", tenant->psa}, {"type", type},
                                   {"command_id", command.id}, {"psa_id", outcome.psa_id},
                                   {"created", outcome.created}, {"trace_id", trace_of(e)}});
    return finished(e);
  }
  if (outcome.kind == Kind::Rejected) {
    ++e.attempts;
    return dead_letter(e, "psa_rejected", outcome.detail);
  }
  if (stop.load()) return RunOutcome{RunOutcome::Kind::Stopped, {}, {}};  // redelivered after the restart
  if (const auto until = psa.throttled_until()) {
    // Throttled: the tenant waits; the command's attempts are not used up.
    return park(e, *until, psa.throttle_reason(), outcome.detail);
  }
  if (const auto& reason = authorized.suspension()) {
    // Its credentials were refused: it waits until they change (looked at in Redis, the PSA's
    // token endpoint is not called again), and its commands keep their attempts.
    return park(e, SteadyClock::now() + ctx_.options.suspended_recheck, "auth_suspended", *reason);
  }
  ++e.attempts;
  if (e.attempts >= ctx_.options.max_attempts) {
    return dead_letter(e, "psa_unavailable",
                       "gave up after " + std::to_string(e.attempts) + " attempts: " + outcome.detail);
  }
  dm.count_retry(tenant->id, tenant->psa);
  auto wait = std::max(backoff(e.attempts), outcome.retry_after);
  record_retry(e, outcome.detail, wait);
  log::info("retrying command", {{"tenant", tenant->id}, {"command_id", command.id}, {"attempt", e.attempts},
                                 {"wait_ms", static_cast<int64_t>(wait.count())}, {"reason", outcome.detail},
                                 {"trace_id", trace_of(e)}});
  return park(e, SteadyClock::now() + wait, "psa_failing", outcome.detail);
}

}  // namespace switchyard::dispatch
