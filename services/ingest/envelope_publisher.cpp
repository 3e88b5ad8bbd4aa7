#include "ingest/envelope_publisher.h"

#include <atomic>
#include <future>
#include <memory>
#include <mutex>

namespace switchyard::ingest {

EnvelopePublisher::EnvelopePublisher(KafkaProducer& producer, Metrics& metrics, std::string topic)
    : producer_(producer), metrics_(metrics), topic_(std::move(topic)) {}

void EnvelopePublisher::publish(const std::vector<Envelope>& envelopes, const std::vector<OutgoingMessage>& also,
                                Done done) {
  if (envelopes.empty() && also.empty()) {
    done(true, "");
    return;
  }
  // Shared by the delivery callbacks; the last one to report calls `done`.
  struct Pending {
    std::atomic<size_t> remaining;
    std::mutex mutex;
    std::string first_error;
    Done done;
  };
  auto pending = std::make_shared<Pending>();
  pending->remaining = envelopes.size() + also.size();
  pending->done = std::move(done);
  const auto report = [this, pending](const std::string& topic) {
    return [this, pending, topic](const DeliveryResult& r) {
      metrics_.observe_produce(topic, r.ok, r.latency_seconds);
      if (!r.ok) {
        std::lock_guard lock(pending->mutex);
        if (pending->first_error.empty()) pending->first_error = r.error;
      }
      if (pending->remaining.fetch_sub(1) == 1) {
        std::string error;
        {
          std::lock_guard lock(pending->mutex);
          error = pending->first_error;
        }
        pending->done(error.empty(), error);
      }
    };
  };
  for (const Envelope& e : envelopes) {
    producer_.produce_owned(topic_, envelope_kafka_key(e), to_json(e), envelope_kafka_headers(e), report(topic_));
  }
  for (const OutgoingMessage& m : also) producer_.produce(m.topic, m.key, m.value, m.headers, report(m.topic));
}

bool EnvelopePublisher::publish_and_wait(const std::vector<Envelope>& envelopes, std::string& error) {
  std::promise<std::pair<bool, std::string>> promise;
  auto future = promise.get_future();
  publish(envelopes, [&promise](bool ok, const std::string& e) { promise.set_value({ok, e}); });
  auto [ok, e] = future.get();
  error = e;
  return ok;
}

}  // namespace switchyard::ingest
