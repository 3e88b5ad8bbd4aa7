// POST /v1/tenants/{tenant}/dead-letters/replay: replays the tenant's dead letters once their
// cause is fixed (ingest/dead_letter_replay.h). Body: {"dead_letters": ["<dead_letter>", ...]},
// or filters {"reason", "kind", "since"}, or {"all": true}; "again": true also replays letters
// replayed before. Scope "replay", the token covering the tenant (403 otherwise, before anything
// says whether the tenant exists); 400 for a bad body; 503 when Redis or Kafka cannot be reached
// or too many replays are queued. 200 with the outcome of each letter. Runs on a worker thread.
#pragma once

#include <memory>

#include "common/kafka_reader.h"
#include "common/redis_worker.h"
#include "ingest/dead_letter_replay.h"
#include "ingest/tenant_admin_route.h"

namespace switchyard::ingest {

class DeadLetterReplayHandler {
 public:
  // `reader` may be null (Kafka was unreachable at start): replays then answer 503.
  DeadLetterReplayHandler(TenantAdminRoute route, RedisWorker& worker, const ServiceConfig& config,
                          std::unique_ptr<KafkaReader> reader, KafkaProducer& producer, Metrics& metrics);
  void handle(http::Request&& request, http::Responder respond);

 private:
  TenantAdminRoute route_;
  RedisWorker& worker_;
  std::unique_ptr<KafkaReader> reader_;  // used on the worker's thread only
  ActivityMetrics activity_metrics_;
  std::unique_ptr<DeadLetterReplayer> replayer_;
};

}  // namespace switchyard::ingest
