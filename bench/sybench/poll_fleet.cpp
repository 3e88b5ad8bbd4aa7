// sybench poll-fleet: how long one full poll cycle over a fleet of tenants takes, with 1 or more
// ingest poller replicas (docs/performance.md, "Poll fleet").
//
//   sybench poll-fleet --sandbox-url U --bootstrap B --figure NAME [--replicas 1] [--tenants 1000]
//                      [--entities ticket,company] [--workers 32] [--tenant-prefix pollfleet]
//                      [--redis-host H --redis-port P] [--topic switchyard.raw.v1] [--timeout 300]
//
// Every tenant is a ConnectWise instance of its own under the sandbox's /tenants/<id>/ prefix
// (the sandbox is started with the latency to measure against, e.g. --latency-ms 200), polled
// every hour, so one cycle is exactly one live poll of each tenant/entity. The replicas are
// ingest Pollers in this process, each with its own workers, Redis connections, HTTP clients
// and Kafka producer, sharing the work through the Redis leases exactly as separate pods do
// (their Redis keys get a run-specific prefix, so runs do not see each other's leases). A poll
// of a tenant is one PSA request (the tenant's seeded records changed in the last minute) and
// the Kafka acknowledgement of what it found. Backfills are off: this is the live cycle.
//
// Figures: NAME (seconds from start until every tenant/entity was polled once), NAME_polls_per_s,
// NAME_double_polls (tenant/entities polled more than once in the cycle: must be 0), and each
// replica's share (NAME_replica<i>_share).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "commands.h"
#include "common/crypto.h"
#include "common/env.h"
#include "common/kafka_producer.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"
#include "ingest/poller.h"

namespace switchyard::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string tenants_json(const std::string& sandbox_url, const std::string& prefix, int count,
                         const std::vector<std::string>& entities) {
  std::string json = R"({"tenants": [)";
  for (int i = 0; i < count; ++i) {
    const std::string id = prefix + std::to_string(i);
    if (i > 0) json += ",";
    json += R"({"id": ")" + id + R"(", "psa": "connectwise", "allow_insecure_http": true, "base_url": ")" +
            sandbox_url + "/tenants/" + id + R"(/connectwise/v4_6_release/apis/3.0",)" +
            R"("credentials": {"company_id": "switchyard_demo", "public_key": "demo-public",)" +
            R"( "private_key": "demo-private", "client_id": "00000000-0000-4000-8000-000000000001"},)" +
            R"("webhook_signing_secrets": ["demo-signing-key"],)" +
            R"("rate_limit": {"requests_per_second": 10, "burst": 20},)" +
            R"("poll": {"enabled": true, "interval_seconds": 3600, "entities": [)";
    for (size_t e = 0; e < entities.size(); ++e) json += (e > 0 ? ", \"" : "\"") + entities[e] + "\"";
    json += "]}}";
  }
  return json + "]}";
}

struct Replica {
  Metrics metrics;
  std::unique_ptr<ingest::IngestMetrics> ingest_metrics;
  std::unique_ptr<KafkaProducer> producer;
  std::unique_ptr<ingest::EnvelopePublisher> publisher;
  std::unique_ptr<ingest::Poller> poller;
};

}  // namespace

int poll_fleet(const Options& o) {
  const std::string sandbox_url = o.required("sandbox-url");
  const std::string bootstrap = o.required("bootstrap");
  const std::string figure = o.required("figure");
  const int replicas = std::max(1, static_cast<int>(o.num("replicas", 1)));
  const int tenant_count = std::max(1, static_cast<int>(o.num("tenants", 1000)));
  const auto entities = split_list(o.str("entities", "ticket,company"));
  const auto workers = static_cast<size_t>(o.num("workers", 32));
  const std::string topic = o.str("topic", "switchyard.raw.v1");
  const auto timeout = std::chrono::seconds(static_cast<int64_t>(o.num("timeout", 300)));
  const std::string run = crypto::random_hex(4);
  const std::string prefix = o.str("tenant-prefix", "pollfleet");

  RedisSettings redis;
  redis.host = o.str("redis-host", "127.0.0.1");
  redis.port = static_cast<int>(o.num("redis-port", 6379));
  const auto& registry = connectors::builtin_registry();
  auto parsed = parse_tenants(tenants_json(sandbox_url, prefix, tenant_count, entities), connectors::spec_lookup(registry),
                              Env());
  if (!parsed) throw std::runtime_error("tenants: " + parsed.error().message);
  const LiveTenants tenants(std::move(*parsed));  // the Poller reads tenants as ingest does: live
  const size_t items = static_cast<size_t>(tenant_count) * entities.size();

  std::mutex mutex;
  std::map<std::string, int> polls;       // tenant/entity → live polls that read their delta
  std::vector<size_t> by_replica(replicas, 0);
  Clock::time_point last_first_poll{};
  std::atomic<size_t> covered{0};

  std::vector<std::unique_ptr<Replica>> fleet;
  for (int r = 0; r < replicas; ++r) {
    auto replica = std::make_unique<Replica>();
    replica->ingest_metrics = std::make_unique<ingest::IngestMetrics>(replica->metrics);
    KafkaSettings kafka;
    kafka.bootstrap_servers = bootstrap;
    kafka.client_id = "sybench-poll-fleet-" + std::to_string(r);
    auto producer = KafkaProducer::create(kafka);
    if (!producer) throw std::runtime_error("kafka: " + producer.error().message);
    replica->producer = std::move(*producer);
    replica->publisher = std::make_unique<ingest::EnvelopePublisher>(*replica->producer, replica->metrics, topic);
    ingest::PollerOptions options;
    options.workers = workers;
    options.backfill = false;
    options.replica_id = "bench-" + std::to_string(r);
    options.keys.watermark_prefix = "sy:bench:" + run + ":poll:";
    options.keys.state_prefix = "sy:bench:" + run + ":poll-";
    options.rate_limit_prefix = "sy:bench:" + run + ":rl:";
    options.on_turn = [&, r](const ingest::PollTurn& t) {
      if (t.kind != ingest::PollKind::Live || t.outcome != "ok" || !t.complete) return;
      std::lock_guard lock(mutex);
      ++by_replica[r];
      if (++polls[t.tenant + "/" + t.entity] == 1) {
        last_first_poll = std::max(last_first_poll, t.ended);
        ++covered;
      }
    };
    replica->poller = std::make_unique<ingest::Poller>(tenants, registry, *replica->publisher, *replica->publisher, redis,
                                                       replica->metrics, *replica->ingest_metrics, options);
    fleet.push_back(std::move(replica));
  }

  note("poll-fleet: " + std::to_string(items) + " tenant/entities, " + std::to_string(replicas) + " replica(s) of " +
       std::to_string(workers) + " workers");
  const auto start = Clock::now();
  for (auto& replica : fleet) replica->poller->start(true);
  const auto deadline = start + timeout;
  while (covered.load() < items && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (auto& replica : fleet) replica->poller->stop();

  std::lock_guard lock(mutex);
  if (covered.load() < items) {
    note("poll-fleet: only " + std::to_string(covered.load()) + " of " + std::to_string(items) + " polled before the timeout");
    emit(figure, -1, "s");
    return 1;
  }
  const double cycle = std::chrono::duration<double>(last_first_poll - start).count();
  size_t doubles = 0, total = 0;
  for (const auto& [item, n] : polls) {
    total += static_cast<size_t>(n);
    if (n > 1) ++doubles;
  }
  emit(figure, cycle, "s");
  emit(figure + "_polls_per_s", static_cast<double>(items) / cycle, "1/s");
  emit(figure + "_double_polls", static_cast<double>(doubles), "count");
  for (int r = 0; r < replicas && replicas > 1; ++r) {
    emit(figure + "_replica" + std::to_string(r) + "_share", static_cast<double>(by_replica[r]) / static_cast<double>(total),
         "ratio");
  }
  return 0;
}

}  // namespace switchyard::bench
