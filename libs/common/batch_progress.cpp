#include "common/batch_progress.h"

namespace switchyard {

BatchProgress::BatchProgress(KafkaConsumer& consumer, const std::vector<KafkaMessage>& batch)
    : consumer_(consumer), batch_(batch), slot_(batch.size()), done_(batch.size(), false) {
  std::map<std::pair<std::string, int32_t>, size_t> slots;
  for (size_t i = 0; i < batch.size(); ++i) {
    auto [it, inserted] = slots.try_emplace({batch[i].topic, batch[i].partition}, partitions_.size());
    if (inserted) partitions_.emplace_back();
    slot_[i] = it->second;
    partitions_[it->second].indices.push_back(i);
  }
}

bool BatchProgress::mark(size_t i) {
  if (done_[i]) return false;
  done_[i] = true;
  ++finished_;
  return true;
}

void BatchProgress::advance(Partition& p) {
  const size_t before = p.leading_done;
  while (p.leading_done < p.indices.size() && done_[p.indices[p.leading_done]]) ++p.leading_done;
  if (p.leading_done > before) consumer_.store_offset(batch_[p.indices[p.leading_done - 1]]);
}

void BatchProgress::finish(size_t i) {
  if (mark(i)) advance(partition_of(i));
}

void BatchProgress::finish_all(const std::vector<size_t>& indices) {
  for (size_t i : indices) mark(i);
  // A partition none of them belongs to does not move, and stores nothing.
  for (Partition& p : partitions_) advance(p);
}

void BatchProgress::give_up(size_t i) { partition_of(i).given_up = true; }

bool BatchProgress::blocked(size_t i) const { return partitions_[slot_[i]].given_up; }

void BatchProgress::settle() {
  if (settled_) return;
  settled_ = true;
  for (const Partition& p : partitions_) {
    // A failed seek stays pending inside the consumer, which then refuses later offsets.
    if (p.leading_done < p.indices.size()) (void)consumer_.seek_to(batch_[p.indices[p.leading_done]]);
  }
}

}  // namespace switchyard
