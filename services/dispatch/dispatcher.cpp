#include "dispatch/dispatcher.h"

#include "common/command.h"
#include "common/dead_letter.h"
#include "common/log.h"
#include "connectors/instrumented_psa_http.h"
#include "dispatch/rate_limited_psa_http.h"

namespace switchyard::dispatch {

Dispatcher::Dispatcher(const ServiceConfig& config, DispatchOptions options, const TenantDirectory& tenants,
                       const connectors::ConnectorRegistry& registry, Metrics& metrics)
    : config_(config),
      options_(std::move(options)),
      tenants_(tenants),
      registry_(registry),
      metrics_(metrics),
      dispatch_metrics_(metrics),
      redis_(config.redis),
      limiter_(redis_),
      memo_(redis_, metrics, options_.write_memo_ttl) {
  auto producer = KafkaProducer::create(config_.kafka);
  if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
  producer_ = std::move(*producer);
  auto consumer = KafkaConsumer::create(config_.kafka, options_.group_id, {config_.topics.commands});
  if (!consumer) throw ConfigError("kafka consumer: " + consumer.error().message);
  consumer_ = std::move(*consumer);
  redis_health_.ping_if_due(redis_);
  loop_ = std::make_unique<ConsumeLoop>(*consumer_, metrics_,
                                        ConsumeLoop::Options{"dispatch", options_.batch_size, options_.poll_timeout},
                                        [this] { redis_health_.ping_if_due(redis_); });
}

Dispatcher::~Dispatcher() { close(); }

void Dispatcher::close() {
  if (consumer_) consumer_->close();
}

bool Dispatcher::ready(std::string& reason) {
  if (!redis_health_.ok()) reason = "redis unreachable";
  else if (!consumer_->has_assignment()) reason = "no partitions assigned yet";
  return reason.empty();
}

std::chrono::milliseconds Dispatcher::backoff(int attempt) {
  // Full jitter: uniform in [base/2, base], base = initial * 2^(attempt-1), capped.
  const std::chrono::milliseconds grown(options_.initial_backoff.count() * (1LL << std::min(attempt - 1, 20)));
  const auto base = std::min(options_.max_backoff, grown);
  std::uniform_int_distribution<int64_t> dist(base.count() / 2, base.count());
  return std::chrono::milliseconds(dist(jitter_));
}

bool Dispatcher::dead_letter(const KafkaMessage& m, const std::string& tenant, const std::string& code,
                             const std::string& reason, int attempts) {
  DeadLetter letter{"dispatch", code, reason, tenant, attempts};
  const DeliveryResult r = producer_->produce_sync(config_.topics.commands_dead_letter, m.key,
                                                   dead_letter_json(letter, m), dead_letter_headers(letter, m));
  metrics_.observe_produce(config_.topics.commands_dead_letter, r.ok, r.latency_seconds);
  if (!r.ok) {
    log::error("dead letter not stored; command will be retried", {{"tenant", tenant}, {"error", r.error}});
    return false;
  }
  // Only configured tenants become label values: a message's own tenant field is unbounded.
  metrics_.count_dead_letter(config_.topics.commands_dead_letter, tenants_.find(tenant) ? tenant : "", code);
  log::warn("command dead-lettered", {{"tenant", tenant}, {"reason_code", code}, {"reason", reason},
                                      {"attempts", attempts}});
  return true;
}

bool Dispatcher::handle(const KafkaMessage& m, const std::atomic<bool>& stop) {
  auto command = command_from_json(m.value);
  if (!command) return dead_letter(m, "", command.error().code, command.error().message, 0);
  const std::string type(command_type(*command));
  const Tenant* tenant = tenants_.find(command->tenant);
  if (tenant == nullptr) {
    return dead_letter(m, command->tenant, "unknown_tenant", "no tenant \"" + command->tenant + "\" is configured", 0);
  }
  const connectors::Connector* connector = registry_.find(tenant->psa);
  if (connector == nullptr) {
    return dead_letter(m, tenant->id, "unknown_psa", "no connector for psa \"" + tenant->psa + "\"", 0);
  }

  // Already executed (a redelivery after a crash before the offset was committed)? When Redis
  // cannot say, the command runs: the connector looks the record up by its external reference
  // before any create, so a second record is still never made.
  const std::string done_key = "sy:cmd:" + tenant->id + ":" + command->id;
  auto seen = redis_.checked_command({"GET", done_key});
  if (!seen) {
    metrics_.count_redis_error("command_done_check");
    log::warn("executed-command check failed; relying on the PSA lookup by external reference",
              {{"tenant", tenant->id}, {"command_id", command->id}, {"error", seen.error().message}});
  } else if (seen->type == RedisReply::Type::String) {
    dispatch_metrics_.count_command(tenant->id, tenant->psa, type, "skipped_duplicate");
    log::info("command already executed, skipped", {{"tenant", tenant->id}, {"command_id", command->id}});
    return true;
  }

  connectors::InstrumentedPsaHttp instrumented(http_, metrics_, tenant->psa);
  RateLimitedPsaHttp psa(instrumented, limiter_, *tenant, dispatch_metrics_, stop);
  for (int attempt = 1;; ++attempt) {
    const connectors::WriteOutcome outcome = connector->execute(*tenant, *command, psa, memo_);
    using Kind = connectors::WriteOutcome::Kind;
    if (outcome.kind == Kind::Done) {
      auto recorded = redis_.checked_command(
          {"SET", done_key, outcome.psa_id, "EX", std::to_string(options_.command_record_ttl.count())});
      if (!recorded) {
        // The connector's lookup by external reference still prevents a second record.
        metrics_.count_redis_error("command_done_record");
        log::warn("executed command not recorded", {{"tenant", tenant->id}, {"error", recorded.error().message}});
      }
      dispatch_metrics_.count_command(tenant->id, tenant->psa, type, outcome.created ? "created" : "updated");
      log::info("command executed", {{"tenant", tenant->id}, {"psa", tenant->psa}, {"type", type},
                                     {"command_id", command->id}, {"psa_id", outcome.psa_id},
                                     {"created", outcome.created}});
      return true;
    }
    if (outcome.kind == Kind::Rejected) {
      const bool stored = dead_letter(m, tenant->id, "psa_rejected", outcome.detail, attempt);
      if (stored) dispatch_metrics_.count_command(tenant->id, tenant->psa, type, "dead_lettered");
      return stored;
    }
    if (stop.load()) return false;  // redelivered after the restart; never half-done
    if (attempt >= options_.max_attempts) {
      const bool stored = dead_letter(m, tenant->id, "psa_unavailable",
                                      "gave up after " + std::to_string(attempt) + " attempts: " + outcome.detail,
                                      attempt);
      if (stored) dispatch_metrics_.count_command(tenant->id, tenant->psa, type, "dead_lettered");
      return stored;
    }
    dispatch_metrics_.count_retry(tenant->id, tenant->psa);
    const auto wait = std::max(backoff(attempt), outcome.retry_after);
    log::info("retrying command", {{"tenant", tenant->id}, {"command_id", command->id}, {"attempt", attempt},
                                   {"wait_ms", static_cast<int64_t>(wait.count())}, {"reason", outcome.detail}});
    if (!sleep_unless_stopped(wait, stop)) return false;
  }
}

size_t Dispatcher::run_once(const std::atomic<bool>& stop) {
  return loop_->run_once([&](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
    process(messages, progress, stop);
  });
}

void Dispatcher::process(const std::vector<KafkaMessage>& messages, BatchProgress& progress,
                         const std::atomic<bool>& stop) {
  for (size_t i = 0; i < messages.size(); ++i) {
    if (progress.blocked(i)) continue;  // keep partition order: this and later messages come again
    if (!stop.load() && handle(messages[i], stop)) progress.finish(i);
    else progress.give_up(i);
  }
}

void Dispatcher::run(const std::atomic<bool>& stop) {
  loop_->run(stop, [&](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
    process(messages, progress, stop);
  });
  close();
}

}  // namespace switchyard::dispatch
