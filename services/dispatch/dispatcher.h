// Dispatcher: commands topic → tenant's connector → PSA. One command at a time per consumer,
// in partition order; the offset is stored only once the PSA answered (or the command was
// dead-lettered with its reason). Retryable failures back off exponentially with jitter,
// honouring Retry-After; after max_attempts the command goes to the dead-letter topic.
// A command id already executed is skipped, and connectors look records up by external
// reference, so a redelivered command never makes a second ticket.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <map>
#include <random>
#include <string>

#include "common/consume_loop.h"
#include "common/http_client.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"
#include "common/redis_health.h"
#include "common/service_config.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "dispatch/dispatch_metrics.h"
#include "dispatch/redis_write_memo.h"

namespace switchyard::dispatch {

struct DispatchOptions {
  std::string group_id = "switchyard-dispatch";
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  size_t batch_size = 50;
  std::chrono::milliseconds poll_timeout{100};
  std::chrono::seconds command_record_ttl{30 * 86400};  // how long an executed command id is remembered
  std::chrono::seconds write_memo_ttl{30 * 86400};      // how long external ref → PSA id is remembered
};

class Dispatcher {
 public:
  Dispatcher(const ServiceConfig& config, DispatchOptions options, const TenantDirectory& tenants,
             const connectors::ConnectorRegistry& registry, Metrics& metrics);
  ~Dispatcher();

  // One poll + execute cycle; returns the number of commands finished.
  size_t run_once(const std::atomic<bool>& stop);
  void run(const std::atomic<bool>& stop);
  void close();
  bool ready(std::string& reason);

 private:
  void process(const std::vector<KafkaMessage>& messages, BatchProgress& progress, const std::atomic<bool>& stop);
  // Executes one message; false when it must be retried later (shutdown mid-retry).
  bool handle(const KafkaMessage& message, const std::atomic<bool>& stop);
  bool dead_letter(const KafkaMessage& message, const std::string& tenant, const std::string& code,
                   const std::string& reason, int attempts);
  std::chrono::milliseconds backoff(int attempt);

  const ServiceConfig& config_;
  DispatchOptions options_;
  const TenantDirectory& tenants_;
  const connectors::ConnectorRegistry& registry_;
  Metrics& metrics_;
  DispatchMetrics dispatch_metrics_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::unique_ptr<KafkaProducer> producer_;
  RedisClient redis_;
  RateLimiter limiter_;
  RedisWriteMemo memo_;
  http::HttpClient http_;
  std::mt19937_64 jitter_{std::random_device{}()};
  RedisHealth redis_health_;
  std::unique_ptr<ConsumeLoop> loop_;
};

}  // namespace switchyard::dispatch
