// Deduplicator: drops events already processed, without voiding at-least-once.
// A key is first claimed as "pending:<token>" with a short TTL (SET NX GET EX, one command,
// all keys of a batch pipelined in one round trip); only after the output is acknowledged is
// it marked "done" with the long TTL. If the worker crashes or the produce fails, the pending
// claim expires (or is released, token-checked) and the redelivered event is processed again.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/resp_encode.h"
#include "common/result.h"

namespace switchyard {

struct DedupSettings {
  std::string key_prefix = "sy:dedup:";
  std::chrono::seconds pending_ttl{30};
  std::chrono::seconds done_ttl{7 * 24 * 3600};
};

enum class ClaimState {
  Claimed,    // ours to process; call mark_done or release
  Duplicate,  // already done: drop it
  InFlight,   // pending under someone else's claim: retry later, never drop
};

struct Claim {
  std::string key;    // idempotency key as given (without prefix)
  std::string token;  // unique to this claim (see claim_tokens), identifies it on release
  ClaimState state = ClaimState::InFlight;
};

// The tokens of one claim() call, one per key: 32 lowercase hex digits, 128 bits drawn at
// random once for the call, with the key's index in the call XORed into the last 32 bits. So
// the tokens of one call all differ, and a token matches one of another call only by the same
// chance as two independent random 128-bit tokens: a release never deletes someone else's
// claim. (One draw per batch instead of one per key: RAND_bytes was 4 % of normalize's CPU.)
std::vector<std::string> claim_tokens(size_t count);

class Deduplicator {
 public:
  Deduplicator(RedisClient& redis, DedupSettings settings = {});
  // One round trip for the whole batch.
  Result<std::vector<Claim>> claim(const std::vector<std::string>& keys);
  // One round trip: SET key done EX done_ttl for each Claimed claim.
  Status mark_done(const std::vector<Claim>& claims);
  // The same commands appended to a pipeline that carries other writes too (normalize sends
  // them with the batch's activity records: one round trip less); returns how many. Their
  // replies are then checked by check_mark_done, from `first`, the pipeline's size before.
  size_t add_mark_done(RespPipeline& commands, const std::vector<Claim>& claims) const;
  static Status check_mark_done(const Result<std::vector<RedisReply>>& replies, size_t first, size_t count);
  // One round trip: deletes each Claimed key only if it still holds our token.
  Status release(const std::vector<Claim>& claims);

 private:
  RedisClient& redis_;
  DedupSettings settings_;
};

}  // namespace switchyard
