// WriteMemo in Redis: vendor reference → PSA id, shared by every dispatch replica, so a
// command redelivered to another replica still finds the record the first one created.
#pragma once

#include <string>

#include "common/redis_client.h"
#include "connectors/connector.h"

namespace switchyard::dispatch {

class RedisWriteMemo : public connectors::WriteMemo {
 public:
  explicit RedisWriteMemo(RedisClient& redis, std::string prefix = "sy:write:");
  std::optional<std::string> lookup(const Tenant& tenant, std::string_view kind, std::string_view external_ref) override;
  void remember(const Tenant& tenant, std::string_view kind, std::string_view external_ref,
                std::string_view psa_id) override;

 private:
  std::string key(const Tenant& tenant, std::string_view kind, std::string_view external_ref) const;
  RedisClient& redis_;
  std::string prefix_;
};

}  // namespace switchyard::dispatch
