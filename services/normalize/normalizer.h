// Normalizer: raw topic → dedup → mapper → canonical topic, at least once and without
// duplicates. For each batch: claim every idempotency key in Redis (one pipelined round trip),
// map and produce the claimed ones, wait for Kafka's acks, then mark the keys done (in one round
// trip with the batch's activity records) and store the offsets. A failed produce releases its claim and rewinds its partition, so the event
// comes back; a crash leaves only short-lived pending claims, which expire.
#pragma once

#include <simdjson.h>

#include <atomic>
#include <memory>
#include <string>

#include "common/consume_loop.h"
#include "common/dedup.h"
#include "common/echo_marks.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/produce_batch.h"
#include "common/activity_log.h"
#include "common/redis_client.h"
#include "common/redis_health.h"
#include "common/service_config.h"
#include "common/sync_policy_settings.h"
#include "common/tenant_ids.h"
#include "common/tenant_mappings.h"
#include "connectors/registry.h"
#include "normalize/label_cache.h"
#include "normalize/normalize_metrics.h"
#include "normalize/policy_engine.h"

namespace switchyard::normalize {

struct NormalizeOptions {
  std::string group_id = "switchyard-normalize";
  size_t batch_size = 2000;
  std::chrono::milliseconds poll_timeout{100};
  DedupSettings dedup;
  // Configured tenants: the only values the tenant metric label takes.
  TenantLabels tenant_labels;
  // Each tenant's "mappings" (a company's classification, ...), over the connectors' defaults.
  TenantMappings tenant_mappings;
  // Each tenant's "sync_policies" (docs/sync-policies.md); a tenant without one gets every record.
  TenantSyncPolicies tenant_sync_policies;
  // How often the daily recompute looks for a day to do; 0 turns it off.
  std::chrono::seconds policy_recompute_check{600};
  // When set, the consumer loop beats a heartbeat "consumer" while run() runs (/healthz).
  Heartbeats* heartbeats = nullptr;
};

// What one batch did (tests and logs).
struct BatchStats {
  size_t consumed = 0, produced = 0, duplicates = 0, dead_lettered = 0, retried = 0;
};

class Normalizer {
 public:
  Normalizer(const ServiceConfig& config, NormalizeOptions options, const connectors::ConnectorRegistry& registry,
             Metrics& metrics);
  ~Normalizer();

  // One poll + process cycle; blocks at most a little over poll_timeout when idle. Rethrows
  // a failure after rewinding the batch's unfinished messages.
  BatchStats run_once();
  // Loops run_once until `stop` is set, then commits and leaves the group.
  void run(const std::atomic<bool>& stop);
  void close();
  bool ready(std::string& reason);

 private:
  struct Item;
  KafkaMessage with_headers(const KafkaMessage& m) const;
  void apply_policies(std::vector<Item>& items, ProduceBatch& batch);
  void commit_policies();
  void mark_echoes(std::vector<Item>& items);
  // The outcome of each change of a configured tenant whose output Kafka took.
  void record_activity(const std::vector<Item>& items, const std::vector<DeliveryResult>& results);
  // Handles one batch: marks each message finished once its output is safe.
  BatchStats process(const std::vector<KafkaMessage>& messages, BatchProgress& progress);
  // Marks the produced keys done after a first try that failed, retrying through a Redis outage
  // until the claims expire.
  void mark_done(const std::vector<Claim>& done, Status first_try, std::chrono::steady_clock::time_point claims_expire);

  const ServiceConfig& config_;
  NormalizeOptions options_;
  const connectors::ConnectorRegistry& registry_;
  Metrics& metrics_;
  NormalizeMetrics normalize_metrics_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::unique_ptr<KafkaProducer> producer_;
  RedisClient redis_;
  Deduplicator dedup_;
  LabelCache labels_;  // the tenants' PSA picklist labels, stored by ingest
  PolicyState policy_state_;  // what the sync policies remember per tenant
  std::optional<PolicyBatch> policy_batch_;  // the batch in hand, until its output is acknowledged
  EchoMarks echoes_;  // what dispatch wrote: marks the changes it caused (lookups only)
  ActivityMetrics activity_metrics_;
  ActivityLog activity_;  // each change's outcome, for the tenant's partner (docs/activity.md)
  simdjson::dom::parser parser_;
  RedisHealth redis_health_;
  std::unique_ptr<ConsumeLoop> loop_;
  Heartbeat beat_;  // run()'s thread only; detached outside run()
};

}  // namespace switchyard::normalize
