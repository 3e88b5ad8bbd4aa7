// The retry route: where a throttled tenant's commands wait when memory would not hold them.
// A command moved there keeps its Kafka key (so per-key order holds on the retry topic), and
// headers say when it may run again (sy-not-before, ms), since when it is parked
// (sy-parked-since), its failed attempts (sy-attempts) and its first delivery (sy-origin).
//
// Order across the two topics: while any command of a tenant is on the retry route, its new
// commands follow it there instead of running directly. The set of those commands lives in
// Redis (sy:divert:<tenant>, the commands' origins), so every replica sees it; a command
// leaves the set once it finished. The set expires after max_park + a day, so a lost
// removal cannot divert a tenant for ever.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "common/kafka_consumer.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "dispatch/command_window.h"

namespace switchyard::dispatch {

// "<topic>:<partition>:<offset>"
std::string origin_of(const KafkaMessage& message);
// Fills from_retry, origin, attempts and parked_since_ms from a retry-topic message's headers;
// returns its not-before time (ms since the epoch; 0 = now).
int64_t read_retry_headers(WindowEntry& entry);

// Of these tenants, the ones with commands on the retry route. Errors when Redis cannot say.
Result<std::set<std::string>> tenants_on_retry_route(RedisClient& redis, const std::set<std::string>& tenants);

// Moves the entries to the retry topic (recording them in their tenants' sets first). Returns,
// per entry, whether Kafka acknowledged it.
std::vector<bool> move_to_retry(RedisClient& redis, KafkaProducer& producer, Metrics& metrics, const std::string& topic,
                                const std::vector<WindowEntry*>& entries, int64_t not_before_ms,
                                std::chrono::seconds set_ttl);

// The command finished: it leaves its tenant's set.
void forget_diversion(RedisClient& redis, Metrics& metrics, const WindowEntry& entry);

}  // namespace switchyard::dispatch
