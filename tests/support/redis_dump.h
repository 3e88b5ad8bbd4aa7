// Everything a Redis holds, read as a dump would reveal it: every key (SCAN), and each value
// read by its type. For tests that look for what must never be stored readable (secrets).
#pragma once

#include <string>
#include <vector>

#include "common/redis_client.h"

namespace switchyard::testing {

struct RedisEntry {
  std::string key;
  std::string type;   // "string", "hash", "list", "set", "zset", "stream", or another type Redis named
  std::string value;  // the value's parts (fields and values, members and scores, stream entries), one a line
  bool read = true;   // false for a type this dump cannot read: a test must fail on it, not skip it
};

// Throws std::runtime_error when Redis does not answer.
std::vector<RedisEntry> dump_redis(RedisClient& redis);

}  // namespace switchyard::testing
