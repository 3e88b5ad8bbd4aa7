#include "fault_plan.h"

#include <algorithm>
#include <random>

namespace switchyard::chaos {

std::string_view fault_name(FaultType type) {
  switch (type) {
    case FaultType::kill_ingest: return "kill -9 ingest";
    case FaultType::kill_normalize: return "kill -9 normalize";
    case FaultType::kill_dispatch: return "kill -9 dispatch";
    case FaultType::redis_crash: return "redis kill -9, restart with AOF";
    case FaultType::redis_graceful: return "redis SIGTERM, restart with its files";
    case FaultType::redis_wipe: return "redis kill -9, restart empty (no persistence)";
    case FaultType::broker_outage: return "every Kafka broker down";
    case FaultType::broker_down_one: return "one Kafka broker down";
    case FaultType::produce_leader_errors: return "Produce answers NOT_LEADER_FOR_PARTITION";
    case FaultType::fetch_leader_errors: return "Fetch answers NOT_LEADER_FOR_PARTITION";
    case FaultType::leader_moves: return "partition leaders move";
    case FaultType::psa_throttle: return "PSA 429 burst";
    case FaultType::psa_server_errors: return "PSA bare 500 burst";
    case FaultType::psa_rejections: return "Autotask 500 with errors (rejections)";
    case FaultType::psa_timeouts: return "PSA timeouts after processing";
    case FaultType::psa_hang: return "PSA timeout without processing";
    case FaultType::psa_drops: return "PSA drops connections mid-body";
    case FaultType::psa_drop_headers: return "PSA drops connections mid-headers";
    case FaultType::psa_drop_before: return "PSA closes connections before answering";
  }
  return "?";
}

std::vector<PlannedFault> plan_faults(uint64_t seed, std::chrono::milliseconds from, std::chrono::milliseconds to) {
  using F = FaultType;
  std::vector<F> types = {
      F::kill_ingest,         F::kill_ingest,   F::kill_ingest,   F::kill_normalize,    F::kill_normalize,
      F::kill_normalize,      F::kill_dispatch, F::kill_dispatch, F::kill_dispatch,     F::redis_crash,
      F::redis_graceful,      F::redis_wipe,    F::broker_outage, F::broker_down_one,   F::produce_leader_errors,
      F::fetch_leader_errors, F::leader_moves,  F::psa_throttle,  F::psa_server_errors, F::psa_rejections,
      F::psa_timeouts,        F::psa_hang,      F::psa_drops,     F::psa_drop_headers,  F::psa_drop_before};
  std::mt19937_64 rng(seed);
  std::shuffle(types.begin(), types.end(), rng);
  const auto slot = (to - from) / static_cast<int64_t>(types.size());
  std::vector<PlannedFault> plan;
  for (size_t i = 0; i < types.size(); ++i) {
    const auto offset =
        std::chrono::milliseconds(rng() % static_cast<uint64_t>(std::max<int64_t>(1, slot.count() * 3 / 4)));
    std::chrono::milliseconds recover{0};
    switch (types[i]) {
      case F::kill_ingest:
      case F::kill_normalize:
      case F::kill_dispatch: recover = std::chrono::milliseconds(200 + rng() % 1800); break;
      case F::broker_outage: recover = std::chrono::seconds(10); break;
      case F::broker_down_one: recover = std::chrono::seconds(5); break;
      default: break;
    }
    plan.push_back({from + slot * static_cast<int64_t>(i) + offset, types[i], recover});
  }
  return plan;
}

}  // namespace switchyard::chaos
