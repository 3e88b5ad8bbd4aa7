#include "ingest/poller.h"

#include <algorithm>
#include <random>
#include <set>

#include "common/activity_log.h"
#include "common/crypto.h"
#include "common/sync_health.h"
#include "common/log.h"
#include "common/time_format.h"
#include "connectors/auth/token_auth_psa_http.h"
#include "connectors/heartbeat_psa_http.h"
#include "connectors/instrumented_psa_http.h"
#include "connectors/rate_limited_psa_http.h"
#include "ingest/change_envelopes.h"

namespace switchyard::ingest {
namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::system_clock::time_point from_wall_ms(int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// The later of two RFC 3339 times (compared as times: "…:00Z" and "…:00.000Z" are equal).
std::string later_of(const std::string& a, const std::string& b) {
  const auto ta = parse_rfc3339(a), tb = parse_rfc3339(b);
  if (!ta) return b;
  if (!tb) return a;
  return *tb > *ta ? b : a;
}

}  // namespace

struct Poller::Worker {
  Worker(const RedisSettings& settings, const PollKeys& keys, const std::string& limiter_prefix,
         const ActivitySettings& activity_settings, KafkaProducer& producer, ActivityMetrics& activity_metrics)
      : redis(settings),
        limiter(redis, limiter_prefix),
        store(redis, keys),
        tokens(redis),
        activity(activity_settings, "ingest", redis, producer, activity_metrics) {}
  RedisClient redis;
  http::HttpClient http;
  RateLimiter limiter;
  PollStore store;
  connectors::auth::TokenProvider tokens;  // for PSAs that authenticate with access tokens
  ActivityLog activity;
  Heartbeat beat;  // detached for poll_now's worker
};

struct Poller::TurnOutcome {
  std::string outcome = "ok";  // ok, error, throttled, suspended, stopped, lost
  std::string error;
  std::string code;            // error: the failing step's code ("psa_error", "redis_unavailable", ...)
  size_t changes = 0;
  int pages = 0;
  bool complete = false;          // the delta / backfill was read to its end in this turn
  bool consumed_sync = false;     // ...and that delta started in this turn
  bool finished = false;          // a backfill that is done: never scheduled again
  bool resync_pending = false;    // a resync of the item has pages left: due again at once
  std::optional<Clock::time_point> throttled_until;

  // The turn ends here, and why.
  TurnOutcome& fail(std::string why, std::string detail, std::string error_code = {}) {
    outcome = std::move(why);
    error = std::move(detail);
    code = std::move(error_code);
    return *this;
  }
};

Poller::Poller(const LiveTenants& tenants, const connectors::ConnectorRegistry& registry,
               EnvelopePublisher& live, EnvelopePublisher& backfill, RedisSettings redis, Metrics& metrics,
               IngestMetrics& ingest_metrics, PollerOptions options)
    : tenants_(tenants),
      registry_(registry),
      live_publisher_(live),
      backfill_publisher_(backfill),
      redis_settings_(std::move(redis)),
      metrics_(metrics),
      ingest_metrics_(ingest_metrics),
      options_(std::move(options)),
      poll_metrics_(metrics),
      activity_metrics_(metrics),
      schedule_(options_.backfill ? std::max<size_t>(1, static_cast<size_t>(static_cast<double>(options_.workers) *
                                                                             options_.backfill_share))
                                  : 0),
      labels_(metrics, options_.labels) {
  if (options_.workers == 0) options_.workers = 1;
  if (options_.replica_id.empty()) options_.replica_id = crypto::random_hex(6);
  options_.pages_per_turn = std::max(1, options_.pages_per_turn);
  direct_ = std::make_unique<Worker>(redis_settings_, options_.keys, options_.rate_limit_prefix, options_.activity,
                                     live_publisher_.producer(), activity_metrics_);
}

Poller::~Poller() { stop(); }

std::string Poller::next_token() { return options_.replica_id + ":" + std::to_string(++tokens_); }

std::chrono::milliseconds Poller::jitter(std::chrono::milliseconds span) {
  // Up to a tenth of the wait (at most 2 s): replicas that would try one lease at the same
  // moment take turns at random instead of the fastest always winning.
  const int64_t cap = std::min<int64_t>(2000, span.count() / 10);
  if (cap <= 0) return std::chrono::milliseconds(0);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, cap)(rng));
}

void Poller::start(bool polling) {
  {
    std::lock_guard lock(control_mutex_);
    if (control_running_) return;
  }
  stop_ = false;
  polling_ = polling;
  if (polling_) {
    apply(*tenants_.snapshot());
    for (size_t i = 0; i < options_.workers; ++i) {
      workers_.push_back(std::make_unique<Worker>(redis_settings_, options_.keys, options_.rate_limit_prefix, options_.activity,
                                     live_publisher_.producer(), activity_metrics_));
      if (options_.heartbeats != nullptr) {
        workers_.back()->beat = options_.heartbeats->add("poll-worker", "poll-worker-" + std::to_string(i));
      }
    }
    for (auto& worker : workers_) threads_.emplace_back([this, w = worker.get()] { work(*w); });
    poll_metrics_.set_workers(options_.workers);
    log::info("poller started", {{"workers", static_cast<int64_t>(options_.workers)},
                                 {"items", static_cast<int64_t>(schedule_.size())},
                                 {"replica", options_.replica_id}});
  }
  {
    std::lock_guard lock(control_mutex_);
    control_stopping_ = false;
    control_running_ = true;  // requests queued before the thread runs are served when it does
  }
  control_thread_ = std::thread([this] { control(); });
}

void Poller::apply(const TenantDirectory& tenants) {
  if (!polling_) return;
  const auto now = Clock::now();
  std::mt19937_64 rng{std::random_device{}()};
  std::set<PollSchedule::Item> wanted;
  size_t added = 0;
  for (const Tenant& tenant : tenants.all()) {
    if (!tenant.poll.enabled || tenant.paused) continue;
    // First polls spread over the start spread (at most one interval), so a replica that starts
    // or a reload that adds many tenants does not call every PSA in the same second.
    const auto spread = std::min<int64_t>(
        options_.start_spread.count(), std::chrono::duration_cast<std::chrono::milliseconds>(tenant.poll.interval).count());
    for (const std::string& entity : tenant.poll.entities) {
      const auto first =
          now + std::chrono::milliseconds(spread > 0 ? std::uniform_int_distribution<int64_t>(0, spread)(rng) : 0);
      for (PollKind kind : {PollKind::Live, PollKind::Backfill}) {
        if (kind == PollKind::Backfill && !options_.backfill) continue;
        PollSchedule::Item item{tenant.id, entity, kind};
        added += schedule_.add(item, first).second ? 1 : 0;
        wanted.insert(std::move(item));
      }
    }
  }
  const size_t retired = schedule_.retain(wanted);
  if (added > 0 || retired > 0) {
    log::info("poll schedule updated", {{"added", static_cast<int64_t>(added)},
                                        {"retired", static_cast<int64_t>(retired)},
                                        {"items", static_cast<int64_t>(schedule_.size())}});
  }
}

void Poller::stop() {
  stop_ = true;
  schedule_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  {
    std::lock_guard lock(control_mutex_);
    control_stopping_ = true;
    control_running_ = false;
  }
  control_wake_.notify_all();
  if (control_thread_.joinable()) control_thread_.join();
  // Requests nobody will serve any more are answered, not dropped.
  std::deque<SyncJob> left;
  {
    std::lock_guard lock(control_mutex_);
    left.swap(sync_jobs_);
  }
  for (auto& job : left) job.done(make_error("shutting_down", "ingest is shutting down"));
}

void Poller::work(Worker& worker) {
  while (auto index = schedule_.take(&worker.beat)) {
    auto [due, finished] = turn(worker, *index);
    schedule_.finish(*index, due, finished);
  }
  worker.beat = Heartbeat{};  // ended on purpose: no longer watched
}

std::pair<Poller::Clock::time_point, bool> Poller::turn(Worker& w, size_t index) {
  const PollSchedule::Item item = schedule_.item(index);
  // The tenant as configured now; held for the turn even if a reload removes it meanwhile.
  const TenantRef current = tenants_.find(item.tenant);
  if (!current || current->paused || !current->poll.enabled ||
      std::ranges::find(current->poll.entities, item.entity) == current->poll.entities.end()) {
    return {Clock::now() + std::chrono::seconds(1), false};  // a reload retires it
  }
  const Tenant& tenant = *current;
  PollTurn report{tenant.id, item.entity, item.kind, "", 0, 0, false, Clock::now(), {}};
  const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(tenant.poll.interval);

  auto lease = w.store.try_lease(tenant.id, item.entity, item.kind, next_token(), options_.lease_ttl);
  if (!lease) {
    poll_metrics_.count_lease("error");
    metrics_.count_redis_error("poll_lease");
    log::warn("poll lease unavailable (redis)",
              {{"tenant", tenant.id}, {"entity", item.entity}, {"error", lease.error().message}});
    return {Clock::now() + std::chrono::seconds(2) + jitter(std::chrono::seconds(2)), false};
  }
  if (!lease->taken) {
    poll_metrics_.count_lease("held");
    // Held by a running poll (its TTL) or resting until the next poll is due: try again then.
    const auto held = lease->held_for.count() > 0 ? lease->held_for : std::chrono::milliseconds(1000);
    if (options_.on_turn) {
      report.outcome = "held";
      report.ended = Clock::now();
      options_.on_turn(report);
    }
    return {Clock::now() + held + jitter(interval), false};
  }
  poll_metrics_.count_lease("taken");

  TurnOutcome out = item.kind == PollKind::Live ? live_turn(w, tenant, item.entity, *lease)
                                                : backfill_turn(w, tenant, item.entity, *lease);

  // How long the lease rests (no replica polls the item before then) and when this replica
  // tries again.
  const auto now = Clock::now();
  std::chrono::milliseconds rest{0};
  bool force_rest = false;
  if (out.outcome == "throttled") {
    const auto until = out.throttled_until.value_or(now + std::chrono::seconds(1));
    schedule_.throttle_tenant(tenant.id, until);
    rest = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    force_rest = true;
  } else if (out.outcome == "error") {
    rest = std::min(interval, options_.error_backoff);
    force_rest = true;
  } else if (out.outcome == "suspended") {
    // Its credentials were refused: looked at again (in Redis, without calling the PSA) until
    // they change; a longer rest would only delay the resume.
    rest = std::max(interval, options_.error_backoff);
    force_rest = true;
  } else if (out.outcome == "ok" && item.kind == PollKind::Live && out.complete && !out.resync_pending) {
    rest = std::chrono::duration_cast<std::chrono::milliseconds>(report.started + interval - now);
  }  // else: more pages to read, a finished backfill, stopping, or lost: nothing to rest

  Clock::time_point due = now + std::max(rest, std::chrono::milliseconds(0));
  if (out.outcome != "lost") {
    auto released = w.store.release(*lease, rest, out.consumed_sync, force_rest);
    if (!released) {
      metrics_.count_redis_error("poll_lease");
      log::warn("poll lease not released (redis); it expires",
                {{"tenant", tenant.id}, {"entity", item.entity}, {"error", released.error().message}});
    } else if (*released == LeaseRelease::DueNow) {
      due = now;  // a sync request came while this turn ran
    } else if (*released == LeaseRelease::Lost) {
      out.outcome = "lost";
    }
  }
  if (out.outcome == "lost") {
    log::warn("poll lease expired during the turn; another replica may have polled meanwhile",
              {{"tenant", tenant.id}, {"entity", item.entity}, {"kind", kind_name(item.kind)}});
    due = now + std::chrono::seconds(1);
  }
  if (rest.count() > 0) due += jitter(rest);

  report.ended = Clock::now();
  if (out.outcome != "stopped") {
    poll_metrics_.observe_turn(tenant.id, item.entity, item.kind, out.outcome == "lost" ? "error" : out.outcome,
                               std::chrono::duration<double>(report.ended - report.started).count());
  }
  if (out.outcome == "suspended") {
    log::warn("poll skipped: tenant suspended", {{"tenant", tenant.id}, {"entity", item.entity}, {"reason", out.error}});
  } else if (out.outcome == "error") {
    log::warn("poll failed", {{"tenant", tenant.id}, {"entity", item.entity}, {"kind", kind_name(item.kind)},
                              {"error", out.error}});
  } else if (out.outcome == "throttled") {
    log::debug("poll throttled", {{"tenant", tenant.id}, {"entity", item.entity}, {"kind", kind_name(item.kind)},
                                  {"error", out.error}});
  } else if (item.kind == PollKind::Live && out.changes > 0) {
    log::info("poll found changes", {{"tenant", tenant.id}, {"entity", item.entity},
                                     {"changes", static_cast<int64_t>(out.changes)}, {"complete", out.complete}});
  }
  record_activity(w, tenant, item, out);
  if (options_.on_turn) {
    report.outcome = out.outcome;
    report.changes = out.changes;
    report.pages = out.pages;
    report.complete = out.complete;
    options_.on_turn(report);
  }
  return {due, out.finished};
}

Poller::TurnOutcome Poller::live_turn(Worker& w, const Tenant& tenant, const std::string& entity,
                                      const PollLease& lease) {
  TurnOutcome out;
  const connectors::Connector* connector = registry_.find(tenant.psa);
  if (connector == nullptr) return out.fail("error", "no connector for " + tenant.psa);

  auto stored = w.store.watermark(tenant.id, entity);
  if (!stored) return out.fail("error", "redis: " + stored.error().message);
  std::string since;
  if (*stored) {
    since = **stored;
  } else {
    // First poll of this tenant/entity: live polling starts now (minus the overlap); what came
    // before is the backfill's (or, with backfills off, not imported).
    auto init = w.store.init_watermark(
        tenant.id, entity, format_rfc3339_utc_seconds(std::chrono::system_clock::now() - options_.overlap));
    if (!init) return out.fail("error", "redis: " + init.error().message);
    since = *init;
  }
  auto saved = w.store.delta(tenant.id, entity);
  if (!saved) return out.fail("error", "redis: " + saved.error().message);
  const bool fresh = !*saved || (*saved)->since.empty();
  PollDelta delta = fresh ? PollDelta{since, "", wall_ms()} : **saved;

  connectors::InstrumentedPsaHttp instrumented(w.http, metrics_, tenant.psa);
  connectors::ThrottleOptions throttle;
  throttle.max_inline_wait = options_.max_inline_wait;
  {
    // The names normalize gives the PSA's picklist ids, read through the tenant's limit.
    connectors::HeartbeatPsaHttp beating(instrumented, &w.beat);
    connectors::RateLimitedPsaHttp limited(beating, w.limiter, tenant, connector->spec().budgets, stop_, throttle);
    connectors::auth::TokenAuthPsaHttp authorized(limited, w.tokens, tenant, connector->token_source());
    labels_.refresh_if_due(w.redis, tenant, *connector, authorized);
  }
  for (int page = 0; page < options_.pages_per_turn; ++page) {
    auto polled = read_page(w, tenant, *connector, instrumented, throttle,
                            {entity, delta.since, delta.cursor, 1, page_size_for(tenant)}, live_publisher_, "poll", out);
    if (!polled) return out;
    delta.cursor = polled->cursor;
    // Still ours? Otherwise another replica has taken over: it must not find our progress
    // written over its own.
    auto ours = w.store.extend(lease, options_.lease_ttl);
    if (!ours) return out.fail("error", "redis: " + ours.error().message);
    if (!*ours) return out.fail("lost", "lease expired");
    if (polled->complete) {
      // Every record changed before the delta started has been read, or was changed again
      // since (and has a newer version). The overlap covers a PSA clock a little behind ours
      // and changes that became visible late.
      const std::string next =
          later_of(delta.since, format_rfc3339_utc_seconds(from_wall_ms(delta.started_ms) - options_.overlap));
      if (auto st = w.store.finish_delta(tenant.id, entity, next); !st) {
        return out.fail("error", "redis: " + st.error().message);
      }
      out.complete = true;
      out.consumed_sync = fresh;
      resync_pages(w, tenant, entity, lease, *connector, instrumented, out);
      return out;
    }
    if (auto st = w.store.save_delta(tenant.id, entity, delta); !st) {
      return out.fail("error", "redis: " + st.error().message);
    }
  }
  return out;  // more pages: due again at once, after other due items had their turn
}

std::optional<connectors::PollResult> Poller::read_page(Worker& w, const Tenant& tenant,
                                                       const connectors::Connector& connector, connectors::PsaHttp& http,
                                                       const connectors::ThrottleOptions& throttle,
                                                       const connectors::PollRequest& request,
                                                       EnvelopePublisher& publisher, const std::string& source,
                                                       TurnOutcome& out, const std::string& resync_id) {
  if (stop_) {
    out.fail("stopped", "shutting down");
    return std::nullopt;
  }
  w.beat.beat();
  // Beats before each PSA request: a page may take several (connectors follow their pagination).
  connectors::HeartbeatPsaHttp beating(http, &w.beat);
  connectors::RateLimitedPsaHttp psa(beating, w.limiter, tenant, connector.spec().budgets, stop_, throttle);
  connectors::auth::TokenAuthPsaHttp authorized(psa, w.tokens, tenant, connector.token_source());
  auto polled = connector.poll(tenant, authorized, request);
  if (!polled) {
    const std::string& code = polled.error().code;
    if (authorized.suspension()) {
      out.fail("suspended", *authorized.suspension());
    } else if (code == "throttled") {
      out.throttled_until = psa.throttled_until();
      out.fail("throttled", polled.error().message);
    } else {
      out.fail(code == "shutting_down" ? "stopped" : "error", polled.error().message, code);
    }
    return std::nullopt;
  }
  out.pages += polled->pages;
  const size_t count = polled->changes.size();
  if (count > 0) {
    std::string error;
    w.beat.beat();  // Kafka's acknowledgement may take up to the delivery timeout
    if (!publisher.publish_and_wait(to_envelopes(tenant, std::move(polled->changes), source, resync_id), error)) {
      out.fail("error", "kafka did not acknowledge the " + source + " page: " + error, "kafka_unavailable");
      return std::nullopt;
    }
    ingest_metrics_.count_accepted(tenant.id, tenant.psa, source, count);
    out.changes += count;
  }
  return std::move(*polled);
}

// What the partner sees of a turn: a failure, refused credentials, a live poll that found
// changes, a backfill's progress and its end. Quiet polls and throttled turns (normal) are not
// recorded, so the view is not filled with them.
void Poller::record_activity(Worker& w, const Tenant& tenant, const PollSchedule::Item& item,
                             const TurnOutcome& out) {
  const bool backfill = item.kind != PollKind::Live;
  if (!backfill && out.outcome == "ok" && out.complete) {
    // Sync health: the entity's last successful poll, quiet ones too.
    if (auto st = w.redis.pipeline(record_sync_health(tenant.id, item.entity, true, now_rfc3339(),
                                                      options_.activity.recent_ttl));
        !st) {
      metrics_.count_redis_error("sync_health");
    }
  }
  ActivityRecord a;
  a.tenant = tenant.id;
  a.kind = backfill ? activity::kBackfill : activity::kPoll;
  a.entity = item.entity;
  const std::string what = std::to_string(out.changes) + " changed record" + (out.changes == 1 ? "" : "s") + " in " +
                           std::to_string(out.pages) + " page" + (out.pages == 1 ? "" : "s");
  if (out.outcome == "error") {
    a.outcome = activity::kFailed;
    a.reason = out.code.empty() || out.code == "error" ? "poll_failed" : out.code;
    a.message = "the poll stopped: " + out.error;
  } else if (out.outcome == "suspended") {
    a.kind = activity::kAuth;
    a.outcome = activity::kFailed;
    a.reason = "credentials_refused";
    a.message = out.error;
  } else if (out.outcome != "ok") {
    return;
  } else if (backfill) {
    a.outcome = out.finished ? activity::kCompleted : activity::kProgress;
    a.message = (out.finished ? "import finished; this turn read " : "import running; this turn read ") + what;
  } else if (out.changes > 0 && out.complete) {
    a.outcome = activity::kCompleted;
    a.message = "read " + what;
  } else {
    return;
  }
  w.activity.record(std::move(a));
}

connectors::ThrottleOptions Poller::bulk_throttle(const Tenant& tenant) const {
  connectors::ThrottleOptions throttle;
  throttle.max_inline_wait = options_.max_inline_wait;
  // Its own share of the tenant's budget: a backfill can never starve live polls and writes.
  throttle.extra_bucket = "backfill";
  const RateLimit tenant_limit = connectors::tenant_rate_limit(tenant);
  throttle.extra_limit = RateLimit{tenant_limit.per_second * options_.backfill_rate_share,
                                   std::max(1, static_cast<int>(tenant_limit.burst * options_.backfill_rate_share))};
  return throttle;
}

void Poller::resync_pages(Worker& w, const Tenant& tenant, const std::string& entity, const PollLease& lease,
                          const connectors::Connector& connector, connectors::PsaHttp& http, TurnOutcome& out) {
  auto saved = w.store.resync(tenant.id, entity);
  if (!saved) {
    out.fail("error", "redis: " + saved.error().message);
    return;
  }
  if (!*saved || (*saved)->done) return;
  ResyncState state = **saved;
  if (state.pages == 0) log::info("resync started", {{"tenant", tenant.id}, {"entity", entity}, {"resync_id", state.id}});
  const connectors::ThrottleOptions throttle = bulk_throttle(tenant);
  // Until it is done the item is due again at once, also after a failed page (then after the
  // error's rest).
  out.resync_pending = true;
  for (int page = 0; page < options_.pages_per_turn; ++page) {
    const size_t before = out.changes;
    auto polled = read_page(w, tenant, connector, http, throttle, {entity, "", state.cursor, 1, page_size_for(tenant)},
                            backfill_publisher_, "resync", out, state.id);
    if (!polled) return;
    state.cursor = polled->cursor;
    state.records += static_cast<int64_t>(out.changes - before);
    state.pages += polled->pages;
    auto ours = w.store.extend(lease, options_.lease_ttl);
    if (!ours) {
      out.fail("error", "redis: " + ours.error().message);
      return;
    }
    if (!*ours) {
      out.fail("lost", "lease expired");
      return;
    }
    if (polled->complete) {
      state.done = true;
      state.finished_at = now_rfc3339();
    }
    auto stored = w.store.save_resync(tenant.id, entity, state);
    if (!stored) {
      out.fail("error", "redis: " + stored.error().message);
      return;
    }
    if (!*stored) {
      // A newer resync replaced this one: it starts from the beginning on the next turn.
      log::info("resync replaced by a newer one", {{"tenant", tenant.id}, {"entity", entity}, {"resync_id", state.id}});
      return;
    }
    if (state.done) {
      out.resync_pending = false;
      log::info("resync completed", {{"tenant", tenant.id}, {"entity", entity}, {"resync_id", state.id},
                                     {"records", state.records}, {"pages", state.pages}});
      return;
    }
  }
}

Poller::TurnOutcome Poller::backfill_turn(Worker& w, const Tenant& tenant, const std::string& entity,
                                          const PollLease& lease) {
  TurnOutcome out;
  const connectors::Connector* connector = registry_.find(tenant.psa);
  if (connector == nullptr) return out.fail("error", "no connector for " + tenant.psa);
  auto saved = w.store.backfill(tenant.id, entity);
  if (!saved) return out.fail("error", "redis: " + saved.error().message);
  BackfillState state;
  if (*saved) {
    state = **saved;
    if (state.done) {
      out.complete = out.finished = true;
      return out;
    }
  } else {
    state.started_at = now_rfc3339();
    if (auto st = w.store.save_backfill(tenant.id, entity, state); !st) {
      return out.fail("error", "redis: " + st.error().message);
    }
    log::info("backfill started", {{"tenant", tenant.id}, {"entity", entity}});
  }

  connectors::InstrumentedPsaHttp instrumented(w.http, metrics_, tenant.psa);
  const connectors::ThrottleOptions throttle = bulk_throttle(tenant);
  for (int page = 0; page < options_.pages_per_turn; ++page) {
    const size_t before = out.changes;
    auto polled = read_page(w, tenant, *connector, instrumented, throttle,
                            {entity, "", state.cursor, 1, page_size_for(tenant)}, backfill_publisher_, "backfill", out);
    if (!polled) return out;
    const size_t count = out.changes - before;
    if (count > 0) poll_metrics_.count_backfill_records(tenant.id, entity, count);
    state.cursor = polled->cursor;
    state.records += static_cast<int64_t>(count);
    state.pages += polled->pages;
    auto ours = w.store.extend(lease, options_.lease_ttl);
    if (!ours) return out.fail("error", "redis: " + ours.error().message);
    if (!*ours) return out.fail("lost", "lease expired");
    if (polled->complete) {
      state.done = true;
      state.finished_at = now_rfc3339();
    }
    if (auto st = w.store.save_backfill(tenant.id, entity, state); !st) {
      return out.fail("error", "redis: " + st.error().message);
    }
    if (state.done) {
      poll_metrics_.count_backfill_completed(tenant.id, entity);
      log::info("backfill completed", {{"tenant", tenant.id}, {"entity", entity}, {"records", state.records},
                                       {"pages", state.pages}, {"started_at", state.started_at}});
      out.complete = out.finished = true;
      return out;
    }
  }
  log::info("backfill progress", {{"tenant", tenant.id}, {"entity", entity}, {"records", state.records},
                                  {"pages", state.pages}});
  return out;
}

Result<size_t> Poller::poll_now(const Tenant& tenant, const std::string& entity) {
  std::lock_guard lock(direct_mutex_);
  Worker& w = *direct_;
  // Like a sync request: a resting lease gives way, a running poll does not.
  if (auto requested = w.store.request_sync(tenant.id, entity); !requested) return requested.error();
  size_t changes = 0;
  for (int turn = 0; turn < 10000; ++turn) {
    auto lease = w.store.try_lease(tenant.id, entity, PollKind::Live, next_token(), options_.lease_ttl);
    if (!lease) return lease.error();
    if (!lease->taken) return make_error("busy", "another poll of " + tenant.id + "/" + entity + " is running");
    const auto started = Clock::now();
    TurnOutcome out = live_turn(w, tenant, entity, *lease);
    const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(tenant.poll.interval);
    const bool done = out.outcome == "ok" && out.complete && !out.resync_pending;
    (void)w.store.release(*lease, done ? interval : std::chrono::milliseconds(0), out.consumed_sync, false);
    changes += out.changes;
    record_activity(w, tenant, PollSchedule::Item{tenant.id, entity, PollKind::Live}, out);
    poll_metrics_.observe_turn(tenant.id, entity, PollKind::Live, out.outcome == "lost" ? "error" : out.outcome,
                               std::chrono::duration<double>(Clock::now() - started).count());
    if (out.outcome != "ok") return make_error(out.outcome == "throttled" ? "throttled" : "poll_failed", out.error);
    if (done) return changes;
  }
  return make_error("poll_failed", "the delta did not end");
}

void Poller::request_sync(const Tenant& tenant, std::vector<std::string> entities, std::function<void(Status)> done,
                          std::string resync_id) {
  {
    std::lock_guard lock(control_mutex_);
    if (control_running_) {
      sync_jobs_.push_back(SyncJob{tenant.id, std::move(entities), std::move(done), std::move(resync_id)});
      control_wake_.notify_all();
      return;
    }
  }
  done(make_error("shutting_down", "the poller is not running"));
}

void Poller::control() {
  Heartbeat beat;
  if (options_.heartbeats != nullptr) beat = options_.heartbeats->add("poll-control");
  RedisClient redis(redis_settings_);
  PollStore store(redis, options_.keys);
  // Announcements from before this start are not ours to act on: their flags are in Redis,
  // and the lease of each item honours them whichever replica polls it next.
  int64_t seen = 0;
  bool seen_known = false;
  const auto wait = std::min<std::chrono::milliseconds>(options_.control_interval, beat.interval());
  for (;;) {
    beat.beat();
    std::deque<SyncJob> jobs;
    {
      std::unique_lock lock(control_mutex_);
      control_wake_.wait_for(lock, wait,
                             [this] { return control_stopping_ || !sync_jobs_.empty(); });
      if (control_stopping_) return;
      jobs.swap(sync_jobs_);
    }
    for (auto& job : jobs) {
      beat.beat();  // each job is a Redis round trip per entity
      Status status = ok_status();
      for (const std::string& entity : job.entities) {
        if (!job.resync_id.empty()) {
          // Recorded before the sync is announced, so the poll it triggers finds the resync.
          if (auto started = store.start_resync(job.tenant, entity, job.resync_id, now_rfc3339()); !started) {
            metrics_.count_redis_error("poll_resync");
            status = started.error();
            break;
          }
        }
        auto requested = store.request_sync(job.tenant, entity);
        if (!requested) {
          metrics_.count_redis_error("poll_sync");
          status = requested.error();
          break;
        }
        if (polling_) schedule_.due_now(job.tenant, entity, PollKind::Live);
      }
      job.done(status);
    }
    if (!polling_) continue;
    if (!seen_known) {
      if (auto current = store.sync_sequence()) {
        seen = *current;
        seen_known = true;
      }
    } else if (auto announced = store.sync_requests_after(seen)) {
      for (const auto& [member, sequence] : *announced) {
        seen = std::max(seen, sequence);
        const size_t slash = member.find('/');
        if (slash == std::string::npos) continue;
        schedule_.due_now(member.substr(0, slash), member.substr(slash + 1), PollKind::Live);
      }
    }
    poll_metrics_.update(schedule_.stats());
  }
}

}  // namespace switchyard::ingest
