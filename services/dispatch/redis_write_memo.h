// WriteMemo in Redis: vendor reference → PSA id, shared by every dispatch replica, so a
// command redelivered to another replica still finds the record the first one created. Each
// entry expires after `ttl` (refreshed on every write), so Redis does not grow without bound;
// after that the connector's lookup by external reference at the PSA finds the record.
#pragma once

#include <chrono>
#include <string>

#include "common/metrics.h"
#include "common/redis_client.h"
#include "connectors/connector.h"

namespace switchyard::dispatch {

class RedisWriteMemo : public connectors::WriteMemo {
 public:
  RedisWriteMemo(RedisClient& redis, Metrics& metrics, std::chrono::seconds ttl, std::string prefix = "sy:write:");
  std::optional<std::string> lookup(const Tenant& tenant, std::string_view kind, std::string_view external_ref) override;
  void remember(const Tenant& tenant, std::string_view kind, std::string_view external_ref,
                std::string_view psa_id) override;

 private:
  std::string key(const Tenant& tenant, std::string_view kind, std::string_view external_ref) const;
  RedisClient& redis_;
  Metrics& metrics_;
  std::chrono::seconds ttl_;
  std::string prefix_;
};

}  // namespace switchyard::dispatch
