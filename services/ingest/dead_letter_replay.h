// Replaying a tenant's dead letters once their cause is fixed (docs/activity.md#dead-letters):
// each chosen dead letter is read back from its dead-letter topic, checked to be the tenant's,
// and its original message produced again, with its headers, to the topic it came from. The
// services then treat it as any redelivery: dispatch's executed-command records and normalize's
// dedup keys hold, so replaying twice never writes twice. A replayed letter is remembered, and
// replayed again only when asked ("again").
#pragma once

#include <string>
#include <vector>

#include "common/activity_log.h"
#include "common/kafka_producer.h"
#include "common/kafka_reader.h"
#include "common/redis_client.h"
#include "common/service_config.h"

namespace switchyard::ingest {

inline constexpr size_t kMaxReplayBatch = 500;

// Which dead letters: the listed places, or every one matching the filters (reason, kind, since).
struct ReplaySelection {
  std::vector<std::string> dead_letters;  // "<topic>/<partition>/<offset>"
  std::string reason, kind, since;        // filters, when no list is given
  bool all = false;                       // the filters alone, explicitly (no list, no filter)
  bool again = false;                     // also those replayed before
};

struct ReplayOutcome {
  std::string dead_letter;
  // "replayed", "already_replayed", "not_found" (not this tenant's, or gone from Kafka by its
  // retention), "failed" (Kafka did not take it; try again)
  std::string outcome;
};

struct ReplayReport {
  std::vector<ReplayOutcome> outcomes;
  bool more = false;  // the filters matched more than kMaxReplayBatch: run it again
};

// Parses the replay body: {"dead_letters":[...]} or {"reason","kind","since"} or {"all":true},
// each with an optional "again". Error "invalid_request", naming the field.
Result<ReplaySelection> replay_selection_from_json(std::string_view body);
std::string to_json(const std::string& tenant, const ReplayReport& report);

class DeadLetterReplayer {
 public:
  DeadLetterReplayer(const ServiceConfig& config, KafkaReader& reader, KafkaProducer& producer,
                     ActivityMetrics& activity_metrics);
  // On one thread, with that thread's Redis connection. Error "redis_unavailable" when the
  // dead-letter index cannot be read.
  Result<ReplayReport> replay(RedisClient& redis, const std::string& tenant, const ReplaySelection& selection);

 private:
  ReplayOutcome replay_one(RedisClient& redis, ActivityLog& activity, const std::string& tenant,
                           const std::string& place, bool again);

  const ServiceConfig& config_;
  KafkaReader& reader_;
  KafkaProducer& producer_;
  ActivityMetrics& activity_metrics_;
};

}  // namespace switchyard::ingest
