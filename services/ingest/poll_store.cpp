#include "ingest/poll_store.h"

#include <charconv>

namespace switchyard::ingest {
namespace {

// KEYS[1] lease, KEYS[2] sync flag; ARGV[1] "run:<token>", ARGV[2] TTL ms.
// → {1, 0, sync counter or ""} when taken, {0, PTTL, ""} when held.
constexpr const char* kLeaseScript = R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local f = redis.call('GET', KEYS[2])
  return {1, 0, f or ''}
end
return {0, redis.call('PTTL', KEYS[1]), ''}
)lua";

// KEYS[1] lease; ARGV[1] "run:<token>", ARGV[2] TTL ms. → 1 extended, 0 not ours.
constexpr const char* kExtendScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua";

// KEYS[1] lease, KEYS[2] sync flag; ARGV[1] "run:<token>", ARGV[2] "rest:<token>", ARGV[3] rest
// ms, ARGV[4] "1" = the sync seen at lease time was answered, ARGV[5] the counter seen then,
// ARGV[6] "1" = rest even if a sync is pending. → 1 rested, 0 due now (sync pending), -1 lost.
constexpr const char* kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local f = redis.call('GET', KEYS[2])
if f then
  if ARGV[4] == '1' and f == ARGV[5] then
    redis.call('DEL', KEYS[2])
  elseif ARGV[6] ~= '1' then
    redis.call('DEL', KEYS[1])
    return 0
  end
end
local rest = tonumber(ARGV[3])
if rest > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', rest)
else
  redis.call('DEL', KEYS[1])
end
return 1
)lua";

// KEYS[1] live lease, KEYS[2] sync flag, KEYS[3] announcement sequence, KEYS[4] announcements;
// ARGV[1] flag TTL ms, ARGV[2] "tenant/entity". A resting lease is dropped (due now); a
// running one sees the flag at its release. → the announcement's sequence.
constexpr const char* kSyncScript = R"lua(
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 5) == 'rest:' then redis.call('DEL', KEYS[1]) end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[4], seq, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -1001)
return seq
)lua";

// KEYS[1] resync hash; ARGV[1] id, ARGV[2] TTL s, ARGV[3..] field, value pairs. → 1 saved, 0
// replaced by another resync (or expired).
constexpr const char* kSaveResyncScript = R"lua(
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

constexpr int64_t kSyncFlagTtlMs = 24 * 3600 * 1000;
constexpr int64_t kResyncTtlSeconds = 7 * 24 * 3600;  // an abandoned resync does not stay forever

std::string tag(const std::string& tenant, const std::string& entity) { return "{" + tenant + ":" + entity + "}"; }

int64_t to_int(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// HGETALL reply → value of `field` ("" when absent).
std::string field_of(const RedisReply& reply, std::string_view field) {
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    if (reply.elements[i].str == field) return reply.elements[i + 1].str;
  }
  return "";
}

Error unexpected(std::string_view what) {
  return make_error("redis_unexpected_reply", "poll state: unexpected reply to " + std::string(what));
}

}  // namespace

std::string_view kind_name(PollKind kind) { return kind == PollKind::Live ? "live" : "backfill"; }

std::string PollKeys::watermark(const std::string& tenant, const std::string& entity) const {
  return watermark_prefix + tenant + ":" + entity;
}
std::string PollKeys::delta(const std::string& tenant, const std::string& entity) const {
  return state_prefix + "delta:" + tag(tenant, entity);
}
std::string PollKeys::backfill(const std::string& tenant, const std::string& entity) const {
  return state_prefix + "backfill:" + tag(tenant, entity);
}
std::string PollKeys::lease(const std::string& tenant, const std::string& entity, PollKind kind) const {
  return state_prefix + "lease:" + tag(tenant, entity) + (kind == PollKind::Backfill ? ":backfill" : "");
}
std::string PollKeys::resync(const std::string& tenant, const std::string& entity) const {
  return state_prefix + "resync:" + tag(tenant, entity);
}
std::string PollKeys::sync_flag(const std::string& tenant, const std::string& entity) const {
  return state_prefix + "sync:" + tag(tenant, entity);
}
std::string PollKeys::sync_requests() const { return state_prefix + "sync:{requests}"; }
std::string PollKeys::sync_sequence() const { return state_prefix + "sync:{requests}:seq"; }

PollStore::PollStore(RedisClient& redis, PollKeys keys) : redis_(redis), keys_(std::move(keys)) {}

Result<PollLease> PollStore::try_lease(const std::string& tenant, const std::string& entity, PollKind kind,
                                       const std::string& token, std::chrono::milliseconds ttl) {
  PollLease lease;
  lease.key = keys_.lease(tenant, entity, kind);
  // A backfill is not a target of sync requests: its flag key is one nobody sets.
  lease.flag_key = kind == PollKind::Live ? keys_.sync_flag(tenant, entity) : lease.key + ":nosync";
  lease.token = token;
  auto reply = redis_.eval_script(lease_sha_, kLeaseScript,
                      {"2", lease.key, lease.flag_key, "run:" + token, std::to_string(std::max<int64_t>(1, ttl.count()))});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Array || reply->elements.size() != 3) return unexpected("lease");
  lease.taken = reply->elements[0].integer == 1;
  lease.held_for = std::chrono::milliseconds(std::max<int64_t>(0, reply->elements[1].integer));
  lease.sync_seen = reply->elements[2].str;
  return lease;
}

Result<bool> PollStore::extend(const PollLease& lease, std::chrono::milliseconds ttl) {
  auto reply = redis_.eval_script(extend_sha_, kExtendScript,
                      {"1", lease.key, "run:" + lease.token, std::to_string(std::max<int64_t>(1, ttl.count()))});
  if (!reply) return reply.error();
  return reply->integer == 1;
}

Result<LeaseRelease> PollStore::release(const PollLease& lease, std::chrono::milliseconds rest, bool consumed_sync,
                                        bool force_rest) {
  auto reply = redis_.eval_script(release_sha_, kReleaseScript,
                      {"2", lease.key, lease.flag_key, "run:" + lease.token, "rest:" + lease.token,
                       std::to_string(std::max<int64_t>(0, rest.count())), consumed_sync ? "1" : "0", lease.sync_seen,
                       force_rest ? "1" : "0"});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Integer) return unexpected("release");
  if (reply->integer < 0) return LeaseRelease::Lost;
  return reply->integer == 0 ? LeaseRelease::DueNow : LeaseRelease::Rested;
}

Result<std::optional<std::string>> PollStore::watermark(const std::string& tenant, const std::string& entity) {
  auto reply = redis_.checked_command({"GET", keys_.watermark(tenant, entity)});
  if (!reply) return reply.error();
  if (reply->is_nil()) return std::optional<std::string>{};
  return std::optional<std::string>(reply->str);
}

Result<std::string> PollStore::init_watermark(const std::string& tenant, const std::string& entity,
                                              const std::string& value) {
  const std::string key = keys_.watermark(tenant, entity);
  auto replies = redis_.pipeline({{"SET", key, value, "NX"}, {"GET", key}});
  if (!replies) return replies.error();
  const RedisReply& got = (*replies)[1];
  if (got.type == RedisReply::Type::Error) return make_error("redis_error", "poll watermark: " + got.str);
  if (got.type != RedisReply::Type::String) return unexpected("GET watermark");
  return got.str;
}

Status PollStore::finish_delta(const std::string& tenant, const std::string& entity, const std::string& watermark) {
  auto replies = redis_.pipeline({{"MULTI"},
                                  {"SET", keys_.watermark(tenant, entity), watermark},
                                  {"DEL", keys_.delta(tenant, entity)},
                                  {"EXEC"}});
  if (!replies) return replies.error();
  const RedisReply& exec = replies->back();
  if (exec.type != RedisReply::Type::Array) {
    return make_error("redis_error", "poll watermark not stored: " + (exec.str.empty() ? "transaction aborted" : exec.str));
  }
  return ok_status();
}

Result<std::optional<PollDelta>> PollStore::delta(const std::string& tenant, const std::string& entity) {
  auto reply = redis_.checked_command({"HGETALL", keys_.delta(tenant, entity)});
  if (!reply) return reply.error();
  if (reply->elements.empty()) return std::optional<PollDelta>{};
  PollDelta d;
  d.since = field_of(*reply, "since");
  d.cursor = field_of(*reply, "cursor");
  d.started_ms = to_int(field_of(*reply, "started_ms"));
  return std::optional<PollDelta>(std::move(d));
}

Status PollStore::save_delta(const std::string& tenant, const std::string& entity, const PollDelta& d) {
  auto reply = redis_.checked_command({"HSET", keys_.delta(tenant, entity), "since", d.since, "cursor", d.cursor,
                                       "started_ms", std::to_string(d.started_ms)});
  if (!reply) return reply.error();
  return ok_status();
}

Result<std::optional<BackfillState>> PollStore::backfill(const std::string& tenant, const std::string& entity) {
  auto reply = redis_.checked_command({"HGETALL", keys_.backfill(tenant, entity)});
  if (!reply) return reply.error();
  if (reply->elements.empty()) return std::optional<BackfillState>{};
  BackfillState b;
  b.done = field_of(*reply, "state") == "done";
  b.cursor = field_of(*reply, "cursor");
  b.records = to_int(field_of(*reply, "records"));
  b.pages = to_int(field_of(*reply, "pages"));
  b.started_at = field_of(*reply, "started_at");
  b.finished_at = field_of(*reply, "finished_at");
  return std::optional<BackfillState>(std::move(b));
}

Status PollStore::save_backfill(const std::string& tenant, const std::string& entity, const BackfillState& b) {
  auto reply = redis_.checked_command({"HSET", keys_.backfill(tenant, entity), "state", b.done ? "done" : "running",
                                       "cursor", b.cursor, "records", std::to_string(b.records), "pages",
                                       std::to_string(b.pages), "started_at", b.started_at, "finished_at",
                                       b.finished_at});
  if (!reply) return reply.error();
  return ok_status();
}

Status PollStore::start_resync(const std::string& tenant, const std::string& entity, const std::string& id,
                               const std::string& started_at) {
  const std::string key = keys_.resync(tenant, entity);
  // One transaction: the old resync's fields never mix with the new one's.
  auto replies = redis_.pipeline({{"MULTI"},
                                  {"DEL", key},
                                  {"HSET", key, "id", id, "state", "running", "cursor", "", "records", "0", "pages", "0",
                                   "started_at", started_at, "finished_at", ""},
                                  {"EXPIRE", key, std::to_string(kResyncTtlSeconds)},
                                  {"EXEC"}});
  if (!replies) return replies.error();
  for (const auto& r : *replies) {
    if (r.type == RedisReply::Type::Error) return make_error("redis_error", "resync start: " + r.str);
  }
  if (replies->back().is_nil()) return unexpected("resync start");
  return ok_status();
}

Result<std::optional<ResyncState>> PollStore::resync(const std::string& tenant, const std::string& entity) {
  auto reply = redis_.checked_command({"HGETALL", keys_.resync(tenant, entity)});
  if (!reply) return reply.error();
  if (reply->elements.empty()) return std::optional<ResyncState>{};
  ResyncState r;
  r.id = field_of(*reply, "id");
  r.done = field_of(*reply, "state") == "done";
  r.cursor = field_of(*reply, "cursor");
  r.records = to_int(field_of(*reply, "records"));
  r.pages = to_int(field_of(*reply, "pages"));
  r.started_at = field_of(*reply, "started_at");
  r.finished_at = field_of(*reply, "finished_at");
  return std::optional<ResyncState>(std::move(r));
}

Result<bool> PollStore::save_resync(const std::string& tenant, const std::string& entity, const ResyncState& r) {
  auto reply = redis_.eval_script(resync_sha_, kSaveResyncScript,
                                  {"1", keys_.resync(tenant, entity), r.id, std::to_string(kResyncTtlSeconds),
                                   "state", r.done ? "done" : "running", "cursor", r.cursor, "records",
                                   std::to_string(r.records), "pages", std::to_string(r.pages), "finished_at",
                                   r.finished_at});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Integer) return unexpected("resync save");
  return reply->integer == 1;
}

Result<int64_t> PollStore::request_sync(const std::string& tenant, const std::string& entity) {
  auto reply = redis_.eval_script(sync_sha_, kSyncScript,
                      {"4", keys_.lease(tenant, entity, PollKind::Live), keys_.sync_flag(tenant, entity),
                       keys_.sync_sequence(), keys_.sync_requests(), std::to_string(kSyncFlagTtlMs),
                       tenant + "/" + entity});
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Integer) return unexpected("sync");
  return reply->integer;
}

Result<std::vector<std::pair<std::string, int64_t>>> PollStore::sync_requests_after(int64_t sequence) {
  std::string after = "(";  // exclusive; appended, not "(" + ...: GCC 12 warns (-Wrestrict, a false positive)
  after += std::to_string(sequence);
  auto reply = redis_.checked_command({"ZRANGEBYSCORE", keys_.sync_requests(), after, "+inf", "WITHSCORES"});
  if (!reply) return reply.error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    out.emplace_back(reply->elements[i].str, to_int(reply->elements[i + 1].str));
  }
  return out;
}

Result<int64_t> PollStore::sync_sequence() {
  auto reply = redis_.checked_command({"GET", keys_.sync_sequence()});
  if (!reply) return reply.error();
  return reply->is_nil() ? 0 : to_int(reply->str);
}

}  // namespace switchyard::ingest
