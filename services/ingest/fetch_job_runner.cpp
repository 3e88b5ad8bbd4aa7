#include "ingest/fetch_job_runner.h"

#include <algorithm>
#include <future>

#include "common/dead_letter.h"
#include "common/log.h"
#include "common/produce_batch.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "ingest/change_envelopes.h"
#include "ingest/fetch_job.h"

namespace switchyard::ingest {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Failures no retry can mend: the record is gone (or never was: an import by a wrong id), the
// id is not one the PSA has ids like, or this PSA cannot fetch the entity.
bool permanent(std::string_view code) {
  return code == connectors::kRecordNotFound || code == connectors::kNotSupported || code == "invalid_id" ||
         code == "invalid_argument" || code == "unsupported_entity" || code == "invalid_payload";
}

}  // namespace

FetchJobRunner::FetchJobRunner(const ServiceConfig& config, FetchJobOptions options, const LiveTenants& tenants,
                               const connectors::ConnectorRegistry& registry, KafkaProducer& producer, Metrics& metrics,
                               IngestMetrics& ingest_metrics)
    : config_(config),
      options_(std::move(options)),
      tenants_(tenants),
      registry_(registry),
      producer_(producer),
      metrics_(metrics),
      ingest_metrics_(ingest_metrics) {
  auto consumer = KafkaConsumer::create(config_.kafka, options_.group_id, {config_.topics.fetch_jobs});
  if (!consumer) throw ConfigError("kafka consumer (fetch jobs): " + consumer.error().message);
  consumer_ = std::move(*consumer);
  loop_ = std::make_unique<ConsumeLoop>(*consumer_, metrics_,
                                        ConsumeLoop::Options{"fetch jobs", options_.batch_size, options_.poll_timeout});
  // A worker of its own: the shared one serves operators' requests, which must not queue
  // behind a backlog of jobs.
  worker_ = std::make_unique<PsaCallWorker>(
      config_.redis, metrics_,
      PsaCallWorkerOptions{.queue = 1, .rate_limit_prefix = options_.rate_limit_prefix,
                           .max_inline_wait = options_.max_inline_wait});
}

FetchJobRunner::~FetchJobRunner() { stop(); }

void FetchJobRunner::start() {
  if (options_.heartbeats != nullptr) beat_ = options_.heartbeats->add("fetch-jobs");
  thread_ = std::thread([this] {
    loop_->run(
        stop_,
        [this](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
          FetchBatchStats stats;
          process(messages, progress, stats);
        },
        &beat_);
  });
}

void FetchJobRunner::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  beat_ = Heartbeat{};
  if (consumer_) consumer_->close();
}

FetchBatchStats FetchJobRunner::run_once() {
  FetchBatchStats stats;
  loop_->run_once([&](const std::vector<KafkaMessage>& messages, BatchProgress& progress) {
    process(messages, progress, stats);
  });
  return stats;
}

Result<connectors::Change> FetchJobRunner::fetch(const TenantRef& tenant, const connectors::Connector& connector,
                                                 const std::string& entity, const std::string& id,
                                                 std::optional<std::chrono::steady_clock::time_point>& throttled_until) {
  using Answer = std::pair<Result<connectors::Change>, std::optional<std::chrono::steady_clock::time_point>>;
  auto answer = std::make_shared<std::promise<Answer>>();
  auto future = answer->get_future();
  const bool queued = worker_->submit(
      tenant, connector,
      [answer, entity, id](PsaCall& call) {
        // Token PSAs get their tenant's token on every call, as the poller and dispatch do.
        connectors::auth::TokenAuthPsaHttp authorized(call.http, call.tokens, call.tenant,
                                                       call.connector.token_source());
        auto change = call.connector.fetch_record(call.tenant, authorized, entity, id);
        answer->set_value({std::move(change), call.limiter ? call.limiter->throttled_until() : std::nullopt});
      },
      [answer] { answer->set_value({make_error("shutting_down", "ingest is shutting down"), std::nullopt}); });
  if (!queued) return make_error("shutting_down", "the PSA-calling worker is not taking jobs");
  while (future.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready) beat_.beat();
  auto [change, until] = future.get();
  throttled_until = until;
  return std::move(change);
}

void FetchJobRunner::process(const std::vector<KafkaMessage>& messages, BatchProgress& progress,
                             FetchBatchStats& stats) {
  ProduceBatch out(producer_, metrics_);
  // Per message: the output whose acknowledgement finishes it (none: finished at once).
  std::vector<std::optional<size_t>> produced(messages.size());
  std::vector<bool> settled(messages.size(), false);
  struct Counted {
    std::string tenant, outcome, reason;
  };
  std::vector<std::optional<Counted>> counts(messages.size());
  std::map<std::string, size_t> fetched_key;  // jobs for one record in one batch: fetched once
  int64_t earliest_due = 0;
  bool worked = false;

  const auto dead_letter = [&](size_t i, const std::string& tenant, const std::string& code, const std::string& why,
                               int attempts) {
    DeadLetter letter{"ingest", code, why, tenant, attempts};
    produced[i] = out.add(config_.topics.raw_dead_letter, messages[i].key, dead_letter_json(letter, messages[i]),
                          dead_letter_headers(letter, messages[i]));
    counts[i] = Counted{tenant.empty() ? "unknown" : tenant, "failed", code};
    metrics_.count_dead_letter(config_.topics.raw_dead_letter, tenant.empty() ? "unknown" : tenant, code);
    // The key is tenant/entity/id: ids only, never the record.
    log::warn("fetch job dead-lettered",
              {{"tenant", tenant}, {"record", messages[i].key.substr(0, 200)}, {"reason", code}, {"detail", why}});
  };
  const auto defer = [&](size_t i, const FetchJob& job, FetchJobRetry retry) {
    produced[i] = out.add(config_.topics.fetch_jobs, messages[i].key, messages[i].value, fetch_job_headers(job, retry));
    counts[i] = Counted{job.tenant, "deferred", ""};
    earliest_due = earliest_due == 0 ? retry.not_before_ms : std::min(earliest_due, retry.not_before_ms);
  };

  for (size_t i = 0; i < messages.size() && !stop_.load(); ++i) {
    const KafkaMessage& m = messages[i];
    auto job = fetch_job_from_json(m.value);
    if (!job) {
      dead_letter(i, "", "invalid_fetch_job", job.error().message, 1);
      continue;
    }
    const TenantRef tenant = tenants_.find(job->tenant);
    const connectors::Connector* connector = tenant ? registry_.find(tenant->psa) : nullptr;
    if (!tenant || connector == nullptr || tenant->psa != job->psa) {
      // A tenant removed (or moved to another PSA) since: nothing to fetch it from.
      ingest_metrics_.count_fetch_failed("unknown", "unknown_tenant");
      settled[i] = true;
      continue;
    }
    FetchJobRetry retry = fetch_job_retry(m.headers);
    const int64_t now = now_ms();
    // Any producer can write the header: a due time beyond a day is taken as a day.
    retry.not_before_ms = std::min<int64_t>(retry.not_before_ms, now + 24LL * 3600 * 1000);
    const auto rest = throttled_until_ms_.find(job->tenant);
    const int64_t due = std::max(retry.not_before_ms, rest == throttled_until_ms_.end() ? 0 : rest->second);
    if (due > now) {
      retry.not_before_ms = due;
      defer(i, *job, retry);
      continue;
    }
    if (auto same = fetched_key.find(m.key); same != fetched_key.end()) {
      produced[i] = produced[same->second];  // this batch already read the record
      counts[i] = Counted{job->tenant, "done", ""};
      continue;
    }
    worked = true;
    std::optional<std::chrono::steady_clock::time_point> throttled;
    auto change = fetch(tenant, *connector, job->entity, job->entity_id, throttled);
    if (change) {
      std::vector<connectors::Change> one;
      one.push_back(std::move(*change));
      const Envelope e = std::move(to_envelopes(*tenant, std::move(one), "fetch").front());
      produced[i] = out.add(config_.topics.raw, envelope_kafka_key(e), to_json(e), envelope_kafka_headers(e));
      counts[i] = Counted{job->tenant, "done", ""};
      fetched_key.emplace(m.key, i);
      continue;
    }
    const std::string& code = change.error().code;
    if (code == "shutting_down") break;  // unfinished: the next owner runs it
    if (code == "throttled") {
      const auto wait = throttled ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                        *throttled - std::chrono::steady_clock::now())
                                  : std::chrono::milliseconds(1000);
      const int64_t until = now_ms() + std::max<int64_t>(wait.count(), 100);
      throttled_until_ms_[job->tenant] = until;
      retry.not_before_ms = until;
      defer(i, *job, retry);
      continue;
    }
    if (permanent(code)) {
      dead_letter(i, job->tenant, code, change.error().message, retry.attempts + 1);
      continue;
    }
    ++retry.attempts;
    if (retry.attempts >= options_.max_attempts) {
      dead_letter(i, job->tenant, "gave_up",
                  "the record could not be fetched after " + std::to_string(retry.attempts) +
                      " attempts; the last: " + change.error().message,
                  retry.attempts);
      continue;
    }
    const auto backoff = std::min<int64_t>(options_.retry_max.count(),
                                           options_.retry_base.count() << std::min(retry.attempts - 1, 20));
    retry.not_before_ms = now_ms() + backoff;
    log::info("fetch job will be retried",
              {{"tenant", job->tenant}, {"code", code}, {"attempts", static_cast<int64_t>(retry.attempts)}});
    defer(i, *job, retry);
  }

  beat_.beat();  // before waiting for Kafka's acknowledgements (up to the delivery timeout)
  const std::vector<DeliveryResult> results = out.wait();
  for (size_t i = 0; i < messages.size(); ++i) {
    const bool safe = settled[i] || (produced[i] && results[*produced[i]].ok);
    if (!safe) {
      ++stats.unfinished;
      continue;
    }
    progress.finish(i);
    if (!counts[i]) continue;
    const Counted& c = *counts[i];
    ingest_metrics_.count_fetch_job(c.tenant, c.outcome);
    if (c.outcome == "done") ++stats.done;
    if (c.outcome == "deferred") ++stats.deferred;
    if (c.outcome == "failed") {
      ++stats.failed;
      ingest_metrics_.count_fetch_failed(c.tenant, c.reason);
    }
  }
  // Only jobs that are not due yet: wait a little before reading them again, so a throttled
  // tenant's jobs do not go round the topic in a tight loop. Short, since new jobs of other
  // tenants wait behind this sleep.
  if (!worked && earliest_due > 0) {
    const int64_t wait = std::clamp<int64_t>(earliest_due - now_ms(), 0, 1000);
    sleep_unless_stopped(std::chrono::milliseconds(wait), stop_);
  }
}

}  // namespace switchyard::ingest
