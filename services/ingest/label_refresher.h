// LabelRefresher: keeps each polled tenant's label tables (Connector::label_tables, the names of
// the PSA's picklist ids) in Redis, for normalize to map ids to names without calling the PSA.
// A poll worker asks before each live turn, through the tenant's rate limit; one replica reads a
// tenant's labels per period (a Redis gate), and the tables are kept for three periods, so a
// missed refresh leaves the last ones in place. Connectors without labels are asked once a day.
//   sy:labels:<tenant>          the tables as JSON (common/label_tables.h), EX 3 × every
//   sy:labels-refresh:<tenant>  the gate, EX every
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/tenants.h"
#include "connectors/connector.h"

namespace switchyard::ingest {

struct LabelRefreshOptions {
  std::chrono::seconds every{3600};  // SWITCHYARD_LABELS_REFRESH_SECONDS
  std::string key_prefix = "sy:labels:";
  std::string gate_prefix = "sy:labels-refresh:";
};

class LabelRefresher {
 public:
  LabelRefresher(Metrics& metrics, LabelRefreshOptions options = {});

  // Reads and stores the tenant's labels when they are due; never fails the caller (a failure is
  // logged, counted, and tried again a minute later). Thread-safe.
  void refresh_if_due(RedisClient& redis, const Tenant& tenant, const connectors::Connector& connector,
                      connectors::PsaHttp& http);

 private:
  using Clock = std::chrono::steady_clock;
  void not_before(const std::string& tenant, Clock::duration wait);

  LabelRefreshOptions options_;
  prometheus::Family<prometheus::Counter>& refreshes_;
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> next_;  // per tenant, this replica
};

}  // namespace switchyard::ingest
