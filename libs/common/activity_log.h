// ActivityLog: records activity (common/activity.h) where partners and operators read it:
//   - switchyard.activity.v1, keyed by tenant: the full history, kept by the topic's retention;
//   - the tenant's recent view in Redis, capped streams: every record (sy:activity:{tenant}),
//     the problems only (sy:activity:{tenant}:problems), so a busy tenant's successes never push
//     its failures out of view, and the dead letters (sy:activity:{tenant}:dead-letters). Each expires after
//     `recent_ttl` without a new record, so an idle or removed tenant's view does not linger.
//
// It also keeps the sync health (common/sync_health.h): each published change moves its
// entity's last event time; and each tenant's adoption (common/adoption.h): milestones, usage
// by workflow and errors by reason, folded in by the same round trip.
//
// Recording never fails the step it describes: a record that cannot be written is counted
// (switchyard_activity_write_errors_total{sink}) and logged without its content. Not
// thread-safe: one per thread, over that thread's Redis connection; the producer is shared.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/activity.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"
#include "common/redis_client.h"
#include "common/resp_encode.h"
#include "common/series_cache.h"

namespace switchyard {

// The Redis keys of a tenant's recent activity: everything, the problems, and the dead letters
// (records with a dead_letter place), which the dead-letters API browses.
std::string activity_stream_key(std::string_view tenant);
std::string activity_problems_key(std::string_view tenant);
std::string activity_dead_letters_key(std::string_view tenant);
// The dead letters replayed so far: a hash of dead-letter place → when.
std::string replayed_dead_letters_key(std::string_view tenant);

// switchyard_activity_records_total{kind,outcome} and
// switchyard_activity_write_errors_total{sink="kafka"|"redis"|"adoption"}; one per process.
class ActivityMetrics {
 public:
  explicit ActivityMetrics(Metrics& metrics);
  void count_record(const std::string& kind, const std::string& outcome);
  void count_write_error(const std::string& sink);
  // The Kafka sink's error counter. It lives in the Metrics registry, not in this object: a
  // delivery report may arrive after the ActivityMetrics that asked for it is gone (its owner
  // destroyed before the producer), and must never touch it.
  prometheus::Counter& kafka_errors() { return kafka_errors_; }

 private:
  SeriesCache<prometheus::Counter> records_;  // one record per inbound event: kept per label set
  prometheus::Family<prometheus::Counter>& write_errors_;
  prometheus::Counter& kafka_errors_;
};

class ActivityLog {
 public:
  // `service` is stamped on every record that names none.
  ActivityLog(const ActivitySettings& settings, std::string service, RedisClient& redis, KafkaProducer& producer,
              ActivityMetrics& metrics);

  // Records one; see add/flush for many.
  void record(ActivityRecord record);
  // Collects records and writes them with one Redis round trip (normalize's batches).
  void add(ActivityRecord record);
  void flush();

  // flush() in two halves, for a caller that sends the records' commands in a pipeline of its
  // own, with other writes (normalize: the batch's done marks): stage() appends the commands
  // and produces the Kafka records; finish() reads the pipeline's replies and counts failures.
  struct Staged {
    size_t first = 0, adoption_from = 0, end = 0;  // the commands' places in the pipeline
    size_t records = 0;
  };
  Staged stage(RespPipeline& commands);
  void finish(const Staged& staged, const Result<std::vector<RedisReply>>& replies);

 private:
  const ActivitySettings& settings_;
  std::string service_;
  RedisClient& redis_;
  KafkaProducer& producer_;
  ActivityMetrics& metrics_;
  std::vector<ActivityRecord> pending_;
};

}  // namespace switchyard
