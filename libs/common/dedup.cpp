// Deduplicator: claim / mark_done / release, each one pipelined round trip per batch.
#include "common/dedup.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

#include "common/crypto.h"
#include "common/resp_encode.h"

namespace switchyard {
namespace {

constexpr std::string_view kPendingPrefix = "pending:";
constexpr std::string_view kDone = "done";

// Deletes the key only while it still holds our claim: a claim that expired and was taken over
// by another worker must not be released by us.
constexpr const char* kReleaseScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

// The replies from `first`, `count` of them (all that follow by default): any error reply fails.
Status check_replies(const Result<std::vector<RedisReply>>& replies, std::string_view what, size_t first = 0,
                     std::optional<size_t> count = std::nullopt) {
  if (!replies) return replies.error();
  const size_t end = count ? first + *count : replies->size();
  if (first > end || end > replies->size()) {
    return make_error("dedup_failed", "dedup " + std::string(what) + ": replies missing");
  }
  for (size_t i = first; i < end; ++i) {
    const RedisReply& r = (*replies)[i];
    if (r.type == RedisReply::Type::Error) {
      return make_error("dedup_failed", "dedup " + std::string(what) + ": " + r.str);
    }
  }
  return ok_status();
}

}  // namespace

std::vector<std::string> claim_tokens(size_t count) {
  std::vector<std::string> tokens;
  if (count == 0) return tokens;
  if (count > std::numeric_limits<uint32_t>::max()) throw std::length_error("claim_tokens: too many keys");
  std::array<unsigned char, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  tokens.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::array<unsigned char, 16> raw = random;
    const auto index = static_cast<uint32_t>(i);
    raw[12] ^= static_cast<unsigned char>(index >> 24);
    raw[13] ^= static_cast<unsigned char>(index >> 16);
    raw[14] ^= static_cast<unsigned char>(index >> 8);
    raw[15] ^= static_cast<unsigned char>(index);
    tokens.push_back(crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size())));
  }
  return tokens;
}

Deduplicator::Deduplicator(RedisClient& redis, DedupSettings settings)
    : redis_(redis), settings_(std::move(settings)) {}

Result<std::vector<Claim>> Deduplicator::claim(const std::vector<std::string>& keys) {
  std::vector<Claim> claims;
  if (keys.empty()) return claims;
  RespPipeline commands;
  commands.reserve(keys.size() * (settings_.key_prefix.size() + 96));
  claims.reserve(keys.size());
  const std::string ttl = std::to_string(settings_.pending_ttl.count());
  std::vector<std::string> tokens = claim_tokens(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    Claim c{key, std::move(tokens[i]), ClaimState::InFlight};
    // SET NX GET (Redis >= 7.0): sets only if absent and returns the previous value, so one
    // command both claims and tells whose claim it was.
    commands.add("SET", RespJoin{settings_.key_prefix, key}, RespJoin{kPendingPrefix, c.token}, "NX", "GET", "EX",
                 ttl);
    claims.push_back(std::move(c));
  }
  auto replies = redis_.pipeline(commands);
  if (auto s = check_replies(replies, "claim"); !s) return s.error();
  for (size_t i = 0; i < claims.size(); ++i) {
    const RedisReply& r = (*replies)[i];
    if (r.is_nil()) {
      claims[i].state = ClaimState::Claimed;
    } else if (r.str == kDone) {
      claims[i].state = ClaimState::Duplicate;
    } else {
      claims[i].state = ClaimState::InFlight;  // "pending:<someone else's token>"
    }
  }
  return claims;
}

size_t Deduplicator::add_mark_done(RespPipeline& commands, const std::vector<Claim>& claims) const {
  const std::string ttl = std::to_string(settings_.done_ttl.count());
  size_t added = 0;
  for (const auto& c : claims) {
    if (c.state != ClaimState::Claimed) continue;
    commands.add("SET", RespJoin{settings_.key_prefix, c.key}, kDone, "EX", ttl);
    ++added;
  }
  return added;
}

Status Deduplicator::check_mark_done(const Result<std::vector<RedisReply>>& replies, size_t first, size_t count) {
  return check_replies(replies, "mark_done", first, count);
}

Status Deduplicator::mark_done(const std::vector<Claim>& claims) {
  RespPipeline commands;
  const size_t count = add_mark_done(commands, claims);
  if (count == 0) return ok_status();
  return check_mark_done(redis_.pipeline(commands), 0, count);
}

Status Deduplicator::release(const std::vector<Claim>& claims) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& c : claims) {
    if (c.state == ClaimState::Claimed) {
      commands.push_back({"EVAL", kReleaseScript, "1", settings_.key_prefix + c.key,
                          std::string(kPendingPrefix) + c.token});
    }
  }
  if (commands.empty()) return ok_status();
  return check_replies(redis_.pipeline(commands), "release");
}

}  // namespace switchyard
