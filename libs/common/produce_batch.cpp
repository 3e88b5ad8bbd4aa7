#include "common/produce_batch.h"

namespace switchyard {

ProduceBatch::ProduceBatch(KafkaProducer& producer, Metrics& metrics) : producer_(producer), metrics_(metrics) {}

size_t ProduceBatch::add(const std::string& topic, std::string_view key, std::string value,
                         const std::vector<KafkaHeader>& headers) {
  size_t index;
  {
    std::lock_guard lock(state_->mutex);
    index = state_->results.size();
    state_->results.emplace_back();
    ++state_->outstanding;
  }
  producer_.produce_owned(topic, key, std::move(value), headers, [state = state_, index, topic, this](const DeliveryResult& r) {
    metrics_.observe_produce(topic, r.ok, r.latency_seconds);
    std::lock_guard lock(state->mutex);
    state->results[index] = r;
    if (--state->outstanding == 0) state->done.notify_all();
  });
  return index;
}

std::vector<DeliveryResult> ProduceBatch::wait() {
  std::unique_lock lock(state_->mutex);
  state_->done.wait(lock, [this] { return state_->outstanding == 0; });
  return std::move(state_->results);
}

}  // namespace switchyard
