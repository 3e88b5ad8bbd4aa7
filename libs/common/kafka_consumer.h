// KafkaConsumer: a consumer-group member with at-least-once offsets. Auto offset *store* is
// off: an offset is stored only when the caller says the message's output is safe
// (store_offset), and the periodic auto-commit commits only stored offsets.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/kafka_producer.h"  // KafkaHeader
#include "common/kafka_settings.h"
#include "common/result.h"

namespace switchyard {

using TopicPartitionId = std::pair<std::string, int32_t>;

struct KafkaMessage {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  std::string value;  // read from Kafka: with json::kPadding bytes of spare capacity
  std::vector<KafkaHeader> headers;
  int64_t timestamp_ms = 0;
};

class KafkaConsumer {
 public:
  // auto.offset.reset=earliest: a new group starts at the beginning, losing nothing.
  static Result<std::unique_ptr<KafkaConsumer>> create(const KafkaSettings& settings,
                                                       const std::string& group_id,
                                                       const std::vector<std::string>& topics);
  ~KafkaConsumer();  // close(): commits stored offsets and leaves the group

  // Up to `max` messages; returns early when `timeout` passes with fewer.
  std::vector<KafkaMessage> poll_batch(size_t max, std::chrono::milliseconds timeout);
  // Off by default. When on, poll_batch leaves each message's `headers` empty and keeps the
  // batch's librdkafka messages until the next poll_batch (or close), so that headers_of() reads
  // them for the few messages that need them. For a service that reads headers only to copy them
  // into a dead letter (normalize): librdkafka parsing every message's headers was 3 % of its CPU.
  void read_headers_on_demand(bool on);
  // The headers of `message`: read now from the last batch when they are read on demand (empty
  // for a message of an earlier batch), else the ones poll_batch copied.
  std::vector<KafkaHeader> headers_of(const KafkaMessage& message) const;
  // Marks `message` done: its offset + 1 is committed by the next (auto) commit. Refused (and
  // false) while a failed rewind of the partition to `message` or earlier is still pending.
  bool store_offset(const KafkaMessage& message);
  // Rewinds the message's partition so `message` is delivered again by a later poll. When the
  // seek fails the rewind stays pending: poll_batch retries it and returns none of the
  // partition's later messages, and store_offset refuses them, so a failed seek can never let
  // a later offset be stored.
  Status seek_to(const KafkaMessage& message);
  // Partitions whose rewind has not happened yet (tests, metrics).
  size_t pending_rewinds() const;
  // Test seam: the next `n` seeks fail as a broker timeout would.
  void fail_next_seeks_for_testing(int n);
  Status commit_sync();
  void close();

  // Rebalance hooks, called on the polling thread inside poll_batch. `on_revoke` runs before
  // the revoke's final commit: an engine with work in flight finishes (or gives up) the
  // partitions' commands and stores their offsets there, so the next owner redoes nothing
  // that was done. `on_assign` runs after new partitions were assigned.
  using PartitionsListener = std::function<void(const std::vector<TopicPartitionId>&)>;
  void set_rebalance_listeners(PartitionsListener on_assign, PartitionsListener on_revoke);
  // Stores offset + 1 of a partition directly (engines that track offsets themselves).
  bool store_offset(const std::string& topic, int32_t partition, int64_t offset);
  // Stops (resumes) fetching from these partitions; polling goes on (heartbeats, rebalances).
  // A partition assigned anew starts resumed.
  void pause(const std::vector<TopicPartitionId>& partitions);
  void resume(const std::vector<TopicPartitionId>& partitions);
  std::vector<TopicPartitionId> assignment() const;

  bool has_assignment() const;
  // Per (topic, partition): high watermark − committed position, from cached watermarks.
  std::map<std::pair<std::string, int32_t>, int64_t> lag() const;

 private:
  KafkaConsumer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard
