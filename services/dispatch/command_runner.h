// CommandRunner: executes one command from the window against the tenant's PSA, once, on one
// worker thread (it owns that worker's Redis and HTTP connections). It never sleeps for a
// throttled or failing PSA: it says until when the tenant should be parked, and the window
// gives the thread to another tenant meanwhile. Every final outcome is produced to the
// results topic before the command counts as finished.
#pragma once

#include <atomic>
#include <chrono>
#include <random>
#include <string>

#include "common/activity_log.h"
#include "common/echo_marks.h"
#include "common/heartbeats.h"
#include "common/http_client.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"
#include "common/service_config.h"
#include "common/live_tenants.h"
#include "connectors/auth/token_provider.h"
#include "connectors/registry.h"
#include "dispatch/command_result.h"
#include "dispatch/command_window.h"
#include "dispatch/dispatch_metrics.h"
#include "dispatch/dispatch_options.h"
#include "dispatch/recipe_state.h"
#include "dispatch/redis_write_memo.h"

namespace switchyard::dispatch {

// The trace id ingest gave the command (Kafka header sy-trace); a command produced straight to
// the topic has none, and its id stands in.
std::string trace_of(const WindowEntry& e);

struct RunOutcome {
  enum class Kind { Finished, Parked, Stopped };
  Kind kind = Kind::Finished;
  SteadyClock::time_point park_until{};
  // "psa_throttled", "rate_limit", "endpoint_budget", "egress_budget", "limiter_unavailable",
  // "psa_failing", "kafka_unavailable", kTenantPaused, "auth_suspended"
  std::string park_reason;
};

// What every worker shares (all thread-safe).
struct RunnerContext {
  const ServiceConfig& config;
  const DispatchOptions& options;
  const LiveTenants& tenants;
  const connectors::ConnectorRegistry& registry;
  Metrics& metrics;
  DispatchMetrics& dispatch_metrics;
  KafkaProducer& producer;
  ActivityMetrics& activity_metrics;
};

class CommandRunner {
 public:
  // `beat`: the heartbeat of the thread running it (beaten before every PSA request and every
  // wait for Kafka), or nullptr.
  explicit CommandRunner(RunnerContext& context, Heartbeat* beat = nullptr);
  RunOutcome run(WindowEntry& entry, const std::atomic<bool>& stop);
  // Dead-letters a command parked longer than max_park (called by the consumer thread's own runner).
  bool expire(WindowEntry& entry);
  // Produces a command's result; false when Kafka did not take it. `dead_letter`: where its dead
  // letter went ("<topic>/<partition>/<offset>"), for the activity record.
  bool publish(const WindowEntry& entry, CommandResult result, bool wait, const std::string& dead_letter = {});

 private:
  RunOutcome finished(WindowEntry& entry);
  RunOutcome park(WindowEntry& entry, SteadyClock::time_point until, std::string reason, const std::string& detail);
  // Dead letter + result; Finished, or Parked ("kafka_unavailable") when Kafka refused.
  RunOutcome dead_letter(WindowEntry& entry, const std::string& code, const std::string& reason);
  // A recipe command: expanded (recipe_expander.h) into commands produced to the commands topic.
  RunOutcome run_recipe(WindowEntry& entry, const Tenant& tenant, const connectors::Connector& connector);
  // A tenant in test mode: the command's PSA request is recorded, nothing is written.
  RunOutcome would_send(WindowEntry& entry, const connectors::RenderedRequest& request);
  std::chrono::milliseconds backoff(int attempt);
  CommandResult result_of(const WindowEntry& entry, std::string outcome) const;
  // The result as the tenant's activity (configured tenants only: a message's tenant field is
  // not trusted to name a Redis key).
  void record_activity(const WindowEntry& entry, const CommandResult& result, const std::string& dead_letter = {});
  // A failed attempt that will be tried again.
  void record_retry(const WindowEntry& entry, const std::string& detail, std::chrono::milliseconds wait);
  // Marks what an executed command wrote as Switchyard's own; a failure is logged and counted,
  // never fails the command.
  void mark_echoes(const Command& command, const connectors::WriteOutcome& outcome);

  void beat() {
    if (beat_ != nullptr) beat_->beat();
  }

  RunnerContext& ctx_;
  Heartbeat* beat_;
  RedisClient redis_;
  RateLimiter limiter_;
  RedisWriteMemo memo_;
  RecipeState recipes_;
  EchoMarks echoes_;
  ActivityLog activity_;
  connectors::auth::TokenProvider tokens_;
  http::HttpClient http_;
  std::mt19937_64 jitter_{std::random_device{}()};
};

}  // namespace switchyard::dispatch
