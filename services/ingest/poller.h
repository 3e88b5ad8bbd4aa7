// Poller: asks PSA APIs for changes where webhooks are missing or unreliable. Per tenant and
// entity it keeps a watermark (the newest version seen) in Redis, shared by replicas, and
// advances it only after Kafka acknowledged every envelope of the poll, so a crash re-polls
// rather than skips. The overlap this causes is removed by normalize's dedup. Replicas share
// the work through a lease per tenant and entity (SET NX PX interval): whichever replica takes
// it polls, the others skip, so N replicas do not spend a PSA's API quota N times.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "common/http_client.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/tenants.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"

namespace switchyard::ingest {

struct PollerOptions {
  std::chrono::seconds initial_lookback{3600};  // where a tenant's first poll starts
  std::string watermark_prefix = "sy:poll:";
  std::string lease_prefix = "sy:poll-lease:";
};

class Poller {
 public:
  Poller(const TenantDirectory& tenants, const connectors::ConnectorRegistry& registry, EnvelopePublisher& publisher,
         RedisSettings redis, Metrics& metrics, IngestMetrics& ingest_metrics, PollerOptions options = {});
  ~Poller();

  void start();  // background thread polling each tenant at its interval
  void stop();
  // Polls one tenant's entity now; returns how many changes were published (tests, make run).
  Result<size_t> poll_now(const Tenant& tenant, const std::string& entity);

 private:
  void run();
  // True when this replica holds the tenant/entity's poll lease for the next interval.
  bool take_lease(const Tenant& tenant, const std::string& entity);
  std::string watermark_key(const Tenant& tenant, const std::string& entity) const;

  const TenantDirectory& tenants_;
  const connectors::ConnectorRegistry& registry_;
  EnvelopePublisher& publisher_;
  RedisClient redis_;
  http::HttpClient http_;
  Metrics& metrics_;
  IngestMetrics& ingest_metrics_;
  PollerOptions options_;

  std::mutex mutex_;  // one poll at a time: redis_ and http_ are single-connection clients
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard::ingest
