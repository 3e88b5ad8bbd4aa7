// Poller: asks PSA APIs for changes where webhooks are missing or unreliable, and imports each
// tenant's existing records once (the backfill). docs/architecture.md, "Polling".
//
// - A bounded pool of workers (PollerOptions::workers), each with its own Redis and HTTP
//   connections and rate limiter, polls tenants and entities concurrently. Every PSA request
//   goes through the tenant's shared rate limit (RateLimitedPsaHttp: the same Redis buckets as
//   dispatch, so polls and writes spend one budget, and a 429 pauses both). A throttled tenant
//   ends its worker's turn at once and is rescheduled for when the throttle ends; the worker
//   takes another tenant.
// - Replicas share the work through a lease per tenant/entity in Redis (poll_store.h). A
//   replica tries the lease only for items that are due and only when a worker is free; the
//   lease is extended page by page, released when the turn ends, and then rests until the
//   next poll is due, so no replica polls an item twice in one interval. A replica that dies
//   loses its leases when they expire (lease_ttl).
// - A delta is read page by page with the connector's cursor, and the cursor is stored after
//   every page Kafka acknowledged. The watermark moves only when the whole delta was read, to
//   the delta's start minus `overlap` (records changed while the delta was read, or stamped by
//   a PSA clock a little behind ours, are read again next time rather than missed; normalize's
//   dedup removes the copies). A restart resumes mid-delta.
// - A tenant/entity without a completed backfill is backfilled: every record, paged and
//   resumable the same way, with its own share of the pool (backfill_share of the workers) and
//   of the tenant's rate limit (backfill_rate_share, an extra ":backfill" bucket), produced to
//   the backfill topic with source "backfill". Live polling runs meanwhile.
// - A resync (request_sync with a resync id) reads every record again from the start, like a
//   backfill but beside it: after each complete live delta of the item, a turn reads up to
//   pages_per_turn pages of the resync (the backfill's rate share, the backfill topic, source
//   "resync", the resync id in the idempotency keys), resumable from its own cursor. The
//   watermark and the backfill state are never touched by it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/activity_log.h"
#include "common/heartbeats.h"
#include "common/http_client.h"
#include "common/metrics.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"
#include "common/live_tenants.h"
#include "connectors/rate_limited_psa_http.h"
#include "connectors/registry.h"
#include "ingest/envelope_publisher.h"
#include "ingest/ingest_metrics.h"
#include "ingest/label_refresher.h"
#include "ingest/poll_metrics.h"
#include "ingest/poll_schedule.h"
#include "ingest/poll_store.h"

namespace switchyard::ingest {

// What one turn of a worker did (PollerOptions::on_turn; tests and logs).
struct PollTurn {
  std::string tenant, entity;
  PollKind kind = PollKind::Live;
  // ok, error, throttled, held (the lease was elsewhere: nothing was polled), stopped, lost
  std::string outcome;
  size_t changes = 0;  // published and acknowledged
  int pages = 0;
  bool complete = false;  // the delta (or backfill) was read to its end in this turn
  std::chrono::steady_clock::time_point started, ended;
};

struct PollerOptions {
  size_t workers = 32;                           // SWITCHYARD_POLL_CONCURRENCY
  bool backfill = true;                          // SWITCHYARD_POLL_BACKFILL
  double backfill_share = 0.25;                  // of the workers (at least one)
  double backfill_rate_share = 0.5;              // of the tenant's rate limit
  std::chrono::seconds overlap{60};              // SWITCHYARD_POLL_OVERLAP_SECONDS
  std::chrono::milliseconds lease_ttl{60000};    // SWITCHYARD_POLL_LEASE_TTL_SECONDS
  int pages_per_turn = 10;  // then the worker yields (the cursor is stored), so one big delta cannot hog it
  int page_size = 0;        // records per page unless the tenant sets one; 0 = each connector's preferred
  // Longest inline wait for the tenant's rate limit; longer = the turn ends as throttled.
  std::chrono::milliseconds max_inline_wait{250};
  // A failed poll is tried again after min(the tenant's interval, this).
  std::chrono::milliseconds error_backoff{60000};
  // Start-up: first polls are spread over min(interval, this), so replicas do not all start at once.
  std::chrono::milliseconds start_spread{2000};
  // How often sync-now announcements of other replicas are read and gauges refreshed.
  std::chrono::milliseconds control_interval{500};
  PollKeys keys;
  std::string rate_limit_prefix = "sy:rl:";  // the limiter's keys, as dispatch uses them
  std::string replica_id;                    // in lease tokens; empty = random
  std::function<void(const PollTurn&)> on_turn;  // called by the worker after every turn
  // When set, the control thread ("poll-control") and every worker ("poll-worker-<i>") beat a
  // heartbeat while they run (/healthz): a worker before each PSA request and each wait for
  // Kafka's acknowledgement, and at least every Heartbeats::interval() while idle.
  Heartbeats* heartbeats = nullptr;
  // The tenants' picklist labels, read before live turns (label_refresher.h).
  LabelRefreshOptions labels;
  // Where the turns' activity goes (common/activity_log.h); ingest sets it from its config.
  ActivitySettings activity;
};

class Poller {
 public:
  Poller(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry, EnvelopePublisher& live,
         EnvelopePublisher& backfill, RedisSettings redis, Metrics& metrics, IngestMetrics& ingest_metrics,
         PollerOptions options = {});
  ~Poller();

  // Starts the control thread (sync requests) and, with `polling`, the workers.
  void start(bool polling = true);
  void stop();
  // The tenants changed (a reload): new tenants and entities are scheduled, those removed,
  // paused or no longer polled are retired. A poll already running finishes its turn.
  void apply(const TenantDirectory& tenants);

  // Polls one tenant's entity now, on the caller's thread, until its delta is read (tests,
  // operators): takes the lease like a worker would (a resting lease is overridden; one held
  // by a running poll is an error "busy"). Returns how many changes were published.
  Result<size_t> poll_now(const Tenant& tenant, const std::string& entity);

  // Sync now: every replica polls these entities of the tenant at once (one of them, through
  // the lease). Asynchronous (never blocks an HTTP thread on Redis): `done` is called from the
  // control thread with the outcome.
  // With `resync_id`, each entity is resynced (every record read again) from the start.
  void request_sync(const Tenant& tenant, std::vector<std::string> entities, std::function<void(Status)> done,
                    std::string resync_id = {});

  const PollerOptions& options() const { return options_; }

 private:
  struct Worker;
  struct TurnOutcome;
  using Clock = std::chrono::steady_clock;

  void work(Worker& worker);
  void control();
  // One turn on schedule item `index`; returns when it is due next (and whether never again).
  std::pair<Clock::time_point, bool> turn(Worker& worker, size_t index);
  TurnOutcome live_turn(Worker& worker, const Tenant& tenant, const std::string& entity, const PollLease& lease);
  TurnOutcome backfill_turn(Worker& worker, const Tenant& tenant, const std::string& entity, const PollLease& lease);
  // After a complete delta: up to a turn's pages of the item's resync, when one is running.
  void resync_pages(Worker& worker, const Tenant& tenant, const std::string& entity, const PollLease& lease,
                    const connectors::Connector& connector, connectors::PsaHttp& http, TurnOutcome& out);
  // A backfill's or resync's throttle: its own share of the tenant's rate limit.
  connectors::ThrottleOptions bulk_throttle(const Tenant& tenant) const;
  void record_activity(Worker& worker, const Tenant& tenant, const PollSchedule::Item& item,
                       const TurnOutcome& out);
  // One page of a turn: polled through the tenant's limit, its changes published to
  // `publisher` with `source` and acknowledged by Kafka. nullopt when the turn ends here
  // (throttled, stopped, failed), with `out` saying why.
  std::optional<connectors::PollResult> read_page(Worker& worker, const Tenant& tenant,
                                                  const connectors::Connector& connector, connectors::PsaHttp& http,
                                                  const connectors::ThrottleOptions& throttle,
                                                  const connectors::PollRequest& request, EnvelopePublisher& publisher,
                                                  const std::string& source, TurnOutcome& out,
                                                  const std::string& resync_id = {});
  // The tenant's "poll.page_size", else the deployment's, else 0 (the connector's preferred).
  int page_size_for(const Tenant& tenant) const {
    return tenant.poll.page_size > 0 ? tenant.poll.page_size : options_.page_size;
  }
  static std::chrono::milliseconds jitter(std::chrono::milliseconds span);
  std::string next_token();

  const LiveTenants& tenants_;
  const connectors::ConnectorRegistry& registry_;
  EnvelopePublisher& live_publisher_;
  EnvelopePublisher& backfill_publisher_;
  RedisSettings redis_settings_;
  Metrics& metrics_;
  IngestMetrics& ingest_metrics_;
  PollerOptions options_;
  PollMetrics poll_metrics_;
  ActivityMetrics activity_metrics_;
  PollSchedule schedule_;
  LabelRefresher labels_;

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> tokens_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  bool polling_ = false;

  std::unique_ptr<Worker> direct_;  // poll_now's
  std::mutex direct_mutex_;

  struct SyncJob {
    std::string tenant;
    std::vector<std::string> entities;
    std::function<void(Status)> done;
    std::string resync_id;  // empty: a sync-now only
  };
  std::mutex control_mutex_;
  std::condition_variable control_wake_;
  std::deque<SyncJob> sync_jobs_;
  bool control_stopping_ = false;
  bool control_running_ = false;  // request_sync queues only while the control thread serves
  std::thread control_thread_;
};

}  // namespace switchyard::ingest
