// FetchJobRunner: ingest's consumer of the fetch-jobs topic (fetch_job.h). Each job reads one
// record whole through the tenant's connector (Connector::fetch_record) on a PSA-calling worker,
// under the tenant's shared rate limit, and produces it to the raw topic as a new envelope
// (source "fetch", the record's own version, so a poll of the same change dedups with it). A
// job's offset is stored only once its output (the envelope, a retry, or a dead letter) is
// acknowledged by Kafka, so a crash redoes a job, never loses one.
//
// Tenants never hold each other up: a throttled tenant's job is not waited for but produced to
// the topic again with a due time (sy-not-before) and the attempt count (sy-attempts), and
// the rest of the batch goes on; the tenant's other jobs follow it until the throttle ends. A
// job that fails for good (the record was deleted, or an import named an id the PSA never had:
// record_not_found; an id not of the PSA's form; the PSA cannot fetch that entity) is
// dead-lettered at once, never retried; one that keeps failing otherwise (PSA errors, timeouts)
// is dead-lettered after max_attempts. Either way with a plain reason on the raw dead-letter
// topic and in switchyard_fetch_jobs_failed_total{reason}.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "common/consume_loop.h"
#include "common/heartbeats.h"
#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "common/service_config.h"
#include "connectors/registry.h"
#include "ingest/ingest_metrics.h"
#include "ingest/psa_call_worker.h"

namespace switchyard::ingest {

struct FetchJobOptions {
  std::string group_id = "switchyard-ingest-fetch";
  size_t batch_size = 100;
  std::chrono::milliseconds poll_timeout{100};
  // Longer waits for the tenant's limiter make the job "throttled" (deferred), never block.
  std::chrono::milliseconds max_inline_wait{250};
  // Transient failures (PSA errors, timeouts) are retried with a doubling delay from
  // `retry_base` up to `retry_max`, and dead-lettered after `max_attempts`.
  int max_attempts = 10;
  std::chrono::milliseconds retry_base{5000};
  std::chrono::milliseconds retry_max{std::chrono::minutes(10)};
  std::string rate_limit_prefix = "sy:rl:";
  Heartbeats* heartbeats = nullptr;
};

// What one batch did (tests).
struct FetchBatchStats {
  size_t done = 0, deferred = 0, failed = 0, unfinished = 0;
};

class FetchJobRunner {
 public:
  FetchJobRunner(const ServiceConfig& config, FetchJobOptions options, const LiveTenants& tenants,
                 const connectors::ConnectorRegistry& registry, KafkaProducer& producer, Metrics& metrics,
                 IngestMetrics& ingest_metrics);
  ~FetchJobRunner();  // stop()

  void start();  // the consumer thread
  void stop();   // the job under way finishes (or is redone by the next owner)
  // One poll and its batch, on the caller's thread (tests; not while started).
  FetchBatchStats run_once();

 private:
  void process(const std::vector<KafkaMessage>& messages, BatchProgress& progress, FetchBatchStats& stats);
  // fetch_record on the worker, waiting for its answer; `throttled_until` is set when throttled.
  Result<connectors::Change> fetch(const TenantRef& tenant, const connectors::Connector& connector,
                                   const std::string& entity, const std::string& id,
                                   std::optional<std::chrono::steady_clock::time_point>& throttled_until);

  const ServiceConfig& config_;
  FetchJobOptions options_;
  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  KafkaProducer& producer_;
  Metrics& metrics_;
  IngestMetrics& ingest_metrics_;
  std::unique_ptr<KafkaConsumer> consumer_;
  std::unique_ptr<ConsumeLoop> loop_;
  std::unique_ptr<PsaCallWorker> worker_;
  // Tenants throttled by their limiter or PSA, until when (this replica's view; jobs due
  // before then are deferred without calling the PSA).
  std::map<std::string, int64_t, std::less<>> throttled_until_ms_;
  Heartbeat beat_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace switchyard::ingest
