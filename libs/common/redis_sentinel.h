// Sentinel discovery: which node is the master of a monitored set right now. Asked on every
// (re)connect, so after a failover the first call after the connection error finds the new
// master; RedisClient then checks ROLE, as a sentinel's view can lag a demotion.
#pragma once

#include <string>

#include "common/redis_client.h"
#include "common/redis_transport.h"
#include "common/result.h"

namespace switchyard {

struct RedisNodeAddress {
  std::string host;
  int port = 0;
};

// Asks settings.sentinel.sentinels in turn (SENTINEL get-master-addr-by-name), each within its
// share of the time to `deadline`; the first answer wins. The error names every sentinel tried
// and why it did not answer (code "redis_unavailable"), never a password.
Result<RedisNodeAddress> discover_redis_master(const RedisSettings& settings, RedisTransport::Deadline deadline);

// Whether a ROLE reply is a master's (["master", offset, replicas]).
bool is_master_role(const RedisReply& role);

// "host:port,host:port" (SWITCHYARD_REDIS_SENTINELS); IPv6 as "[::1]:26379".
Result<std::vector<std::pair<std::string, int>>> parse_sentinel_list(std::string_view list);

}  // namespace switchyard
