// LabelCache: each tenant's label tables (the names of its PSA's picklist ids, which ingest
// stores in Redis: ingest/label_refresher.h), kept in memory for a minute so normalize reads
// Redis at most once a minute per tenant and never calls a PSA. A tenant without stored labels,
// or a Redis error, gives none: the mapper then publishes ids as names.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/label_tables.h"
#include "common/metrics.h"
#include "common/redis_client.h"

namespace switchyard::normalize {

class LabelCache {
 public:
  LabelCache(RedisClient& redis, Metrics& metrics, std::string key_prefix = "sy:labels:",
             std::chrono::seconds ttl = std::chrono::seconds(60))
      : redis_(redis), metrics_(metrics), prefix_(std::move(key_prefix)), ttl_(ttl) {}

  // The tenant's tables; nullptr when none are known. One thread only (the consumer's).
  std::shared_ptr<const LabelTables> get(const std::string& tenant);

 private:
  struct Entry {
    std::shared_ptr<const LabelTables> tables;
    std::chrono::steady_clock::time_point expires;
  };
  RedisClient& redis_;
  Metrics& metrics_;
  std::string prefix_;
  std::chrono::seconds ttl_;
  std::map<std::string, Entry> entries_;
};

}  // namespace switchyard::normalize
