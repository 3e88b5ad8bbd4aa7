// Which faults the chaos run injects and when: a fixed list, shuffled into equal time slots of
// the fault window by a seeded RNG, so one seed always gives the same plan.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

namespace switchyard::chaos {

enum class FaultType {
  kill_ingest,
  kill_normalize,
  kill_dispatch,
  redis_crash,      // kill -9, restart with its AOF
  redis_graceful,   // SIGTERM, restart with its files
  redis_wipe,       // kill -9, restart empty (as without persistence)
  broker_outage,    // every broker down for 10 s
  broker_down_one,  // one broker down for 5 s (its partitions' leader unreachable)
  produce_leader_errors,
  fetch_leader_errors,
  leader_moves,       // every partition's leader moves to another broker
  psa_throttle,       // 429 + Retry-After burst
  psa_server_errors,  // bare 500s for a few seconds (retried)
  psa_rejections,     // Autotask-shaped 500s with an errors list (dead-lettered)
  psa_timeouts,       // processed, answered after the client's timeout
  psa_hang,           // not processed, answered after the client's timeout
  psa_drops,          // processed, connection dropped mid-body, with a probability
  psa_drop_headers,   // processed, connection dropped mid-headers
  psa_drop_before,    // processed, connection closed before any byte of the answer
};

std::string_view fault_name(FaultType type);

struct PlannedFault {
  std::chrono::milliseconds at;  // from the start of the traffic
  FaultType type;
  std::chrono::milliseconds recover_after;  // restart / broker back up; 0 when not applicable
};

std::vector<PlannedFault> plan_faults(uint64_t seed, std::chrono::milliseconds from, std::chrono::milliseconds to);

}  // namespace switchyard::chaos
