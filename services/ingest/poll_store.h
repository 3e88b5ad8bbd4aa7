// PollStore: the poller's state in Redis, shared by every ingest replica. One per worker (it
// uses the worker's single-connection RedisClient).
//
//   sy:poll:<tenant>:<entity>                 live watermark (RFC 3339), as earlier versions kept it
//   sy:poll-delta:{<tenant>:<entity>}         hash: the live delta being read (since, cursor, started_ms)
//   sy:poll-backfill:{<tenant>:<entity>}      hash: backfill progress (state, cursor, records, pages, ...)
//   sy:poll-lease:{<tenant>:<entity>}[:backfill]
//                                             who polls it: "run:<token>" while a replica polls
//                                             (TTL = lease TTL, extended per page), then
//                                             "rest:<token>" until the next poll is due (TTL =
//                                             the rest), so no replica polls it twice in one interval
//   sy:poll-resync:{<tenant>:<entity>}        hash: a resync (id, state, cursor, records, ...);
//                                             7 days TTL, refreshed per page
//   sy:poll-sync:{<tenant>:<entity>}          a pending sync-now request (a counter, 1 day TTL)
//   sy:poll-sync:{requests}, ...:seq          sorted set (score = sequence) telling every replica
//                                             which items were asked for, so the next free
//                                             worker anywhere tries the lease at once
//
// Keys of one tenant/entity share a hash tag, so the lease scripts touch one slot.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard::ingest {

enum class PollKind { Live, Backfill };
std::string_view kind_name(PollKind kind);  // "live" | "backfill"

struct PollKeys {
  std::string watermark_prefix = "sy:poll:";
  std::string state_prefix = "sy:poll-";

  std::string watermark(const std::string& tenant, const std::string& entity) const;
  std::string delta(const std::string& tenant, const std::string& entity) const;
  std::string backfill(const std::string& tenant, const std::string& entity) const;
  std::string lease(const std::string& tenant, const std::string& entity, PollKind kind) const;
  std::string resync(const std::string& tenant, const std::string& entity) const;
  std::string sync_flag(const std::string& tenant, const std::string& entity) const;
  std::string sync_requests() const;
  std::string sync_sequence() const;
};

struct PollLease {
  std::string key;
  std::string flag_key;
  std::string token;
  bool taken = false;
  // Not taken: how long the current holder (running or resting) keeps it; 0 when unknown.
  std::chrono::milliseconds held_for{0};
  // Taken: the sync counter seen when it was taken (empty = no sync pending).
  std::string sync_seen;
};

enum class LeaseRelease {
  Rested,  // released; no replica takes it before the rest has passed
  DueNow,  // a sync request is pending: released without a rest
  Lost,    // the lease had expired (or was taken over) before the release
};

// A live delta being read: where it started and how far it got.
struct PollDelta {
  std::string since;   // the watermark the delta reads from
  std::string cursor;  // connector cursor after the last page published ("" = none yet)
  int64_t started_ms = 0;  // wall clock when its first page was asked for
};

struct BackfillState {
  bool done = false;
  std::string cursor;
  int64_t records = 0;
  int64_t pages = 0;
  std::string started_at, finished_at;  // RFC 3339
};

// A resync: every record read again from the start, beside the live watermark and the backfill
// (neither is moved). A new resync of the item replaces one still running.
struct ResyncState {
  std::string id;  // "rs-" + 16 hex characters, in the envelopes' idempotency keys
  bool done = false;
  std::string cursor;
  int64_t records = 0;
  int64_t pages = 0;
  std::string started_at, finished_at;  // RFC 3339
};

class PollStore {
 public:
  PollStore(RedisClient& redis, PollKeys keys);

  // SET NX PX; when held elsewhere, reports for how long.
  Result<PollLease> try_lease(const std::string& tenant, const std::string& entity, PollKind kind,
                              const std::string& token, std::chrono::milliseconds ttl);
  // False when the lease is no longer ours (expired and possibly taken by another replica).
  Result<bool> extend(const PollLease& lease, std::chrono::milliseconds ttl);
  // `rest` 0 = due again at once. `consumed_sync`: this turn read a whole delta that started
  // after the sync request seen at lease time, so the request is answered. `force_rest`: keep
  // the rest even if a sync is pending (a throttled tenant must not be called sooner).
  Result<LeaseRelease> release(const PollLease& lease, std::chrono::milliseconds rest, bool consumed_sync,
                               bool force_rest);

  Result<std::optional<std::string>> watermark(const std::string& tenant, const std::string& entity);
  // Sets the watermark unless one exists; returns the one in force.
  Result<std::string> init_watermark(const std::string& tenant, const std::string& entity, const std::string& value);
  // The delta is read: the watermark moves and the delta is forgotten, in one transaction.
  Status finish_delta(const std::string& tenant, const std::string& entity, const std::string& watermark);
  Result<std::optional<PollDelta>> delta(const std::string& tenant, const std::string& entity);
  Status save_delta(const std::string& tenant, const std::string& entity, const PollDelta& delta);

  Result<std::optional<BackfillState>> backfill(const std::string& tenant, const std::string& entity);
  Status save_backfill(const std::string& tenant, const std::string& entity, const BackfillState& state);

  // Starts resync `id` from the beginning, replacing any resync of the item.
  Status start_resync(const std::string& tenant, const std::string& entity, const std::string& id,
                      const std::string& started_at);
  Result<std::optional<ResyncState>> resync(const std::string& tenant, const std::string& entity);
  // Saves progress only while `state.id` is still the item's resync: false when a newer one
  // replaced it (its progress is not written over).
  Result<bool> save_resync(const std::string& tenant, const std::string& entity, const ResyncState& state);

  // Marks a sync-now request for the tenant/entity: a resting lease is dropped (due now), a
  // running poll is told to poll again when it ends, and every replica hears of it.
  Result<int64_t> request_sync(const std::string& tenant, const std::string& entity);
  // Requests announced after `sequence`: ("tenant/entity", sequence), oldest first.
  Result<std::vector<std::pair<std::string, int64_t>>> sync_requests_after(int64_t sequence);
  // The latest announcement's sequence (0 when none).
  Result<int64_t> sync_sequence();

 private:
  RedisClient& redis_;
  PollKeys keys_;
  std::string lease_sha_, extend_sha_, release_sha_, sync_sha_, resync_sha_;
};

}  // namespace switchyard::ingest
