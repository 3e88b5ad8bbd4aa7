// UsageCloser: closes billing periods on schedule (docs/recipes.md#usage--billing). Each open
// period of an agreement waits in a Redis sorted set until its end plus the tenant's
// close_after; when due, the closer produces a usage.period_closed recipe command for it, keyed
// like the agreement's usage, so it runs in order behind the usage already sent. Every replica
// may run it: a second close of a period expands into the same billing-line ids (skipped).
#pragma once

#include <chrono>
#include <string>

#include "common/kafka_producer.h"
#include "common/live_tenants.h"
#include "common/metrics.h"
#include "dispatch/recipe_state.h"

namespace switchyard::dispatch {

class UsageCloser {
 public:
  UsageCloser(RedisClient& redis, KafkaProducer& producer, Metrics& metrics, const LiveTenants& tenants,
              std::string commands_topic, std::chrono::seconds state_ttl);
  // Produces the close commands now due; returns how many (errors are logged and counted).
  size_t close_due(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

 private:
  RecipeState state_;
  KafkaProducer& producer_;
  Metrics& metrics_;
  const LiveTenants& tenants_;
  std::string topic_;
};

}  // namespace switchyard::dispatch
