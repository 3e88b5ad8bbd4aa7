// BatchProgress: what became of each message of one polled batch, and the offsets that
// follow from it. A message is finished once its output is safe; offsets are stored up to the
// first unfinished message of each partition (as they finish, so a crash redoes little), and
// settle() rewinds every partition to that message, so nothing after it is ever skipped —
// whether the batch ended normally, gave up on a message, or threw.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/kafka_consumer.h"

namespace switchyard {

class BatchProgress {
 public:
  BatchProgress(KafkaConsumer& consumer, const std::vector<KafkaMessage>& batch);
  BatchProgress(const BatchProgress&) = delete;
  BatchProgress& operator=(const BatchProgress&) = delete;

  // Message `i` of the batch is handled; stores offsets that are now contiguous.
  void finish(size_t i);
  // As finish() for each of `indices`, with one offset store per partition they advance
  // instead of one per message (normalize finishes a whole batch at once).
  void finish_all(const std::vector<size_t>& indices);
  // Message `i` must come again: it and every later message of its partition stay unfinished.
  void give_up(size_t i);
  // True once an earlier message of i's partition was given up (keep partition order).
  bool blocked(size_t i) const;
  // Rewinds each partition to its first unfinished message. Idempotent.
  void settle();

  size_t finished() const { return finished_; }
  size_t unfinished() const { return done_.size() - finished_; }

 private:
  struct Partition {
    std::vector<size_t> indices;  // batch positions, in offset order
    size_t leading_done = 0;      // how many of `indices` are finished without a gap
    bool given_up = false;
  };
  Partition& partition_of(size_t i) { return partitions_[slot_[i]]; }
  // Marks `i` finished; true when it was not already.
  bool mark(size_t i);
  // Moves p's contiguous run forward; stores the offset when it moved.
  void advance(Partition& p);

  KafkaConsumer& consumer_;
  const std::vector<KafkaMessage>& batch_;
  std::vector<Partition> partitions_;
  std::vector<size_t> slot_;  // batch position → index into partitions_
  std::vector<bool> done_;
  size_t finished_ = 0;
  bool settled_ = false;
};

}  // namespace switchyard
