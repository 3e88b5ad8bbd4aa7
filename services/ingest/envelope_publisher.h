// EnvelopePublisher: produces a group of envelopes to the raw topic and reports once, when
// Kafka acknowledged every one of them (or any failed). ingest answers its HTTP caller, and
// the poller advances its watermark, only from that report.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/envelope.h"
#include "common/kafka_producer.h"
#include "common/metrics.h"

namespace switchyard::ingest {

// A message to produce together with the envelopes (a fetch job), to a topic of its own.
struct OutgoingMessage {
  std::string topic;
  std::string key;
  std::string value;
  std::vector<KafkaHeader> headers;
};

class EnvelopePublisher {
 public:
  // ok = every envelope acked; error = the first failure's text.
  using Done = std::function<void(bool ok, const std::string& error)>;

  EnvelopePublisher(KafkaProducer& producer, Metrics& metrics, std::string topic);
  KafkaProducer& producer() const { return producer_; }
  void publish(const std::vector<Envelope>& envelopes, Done done) { publish(envelopes, {}, std::move(done)); }
  // The envelopes and `also`: `done` reports once Kafka acknowledged all of them.
  void publish(const std::vector<Envelope>& envelopes, const std::vector<OutgoingMessage>& also, Done done);
  // Blocking form for the poller.
  bool publish_and_wait(const std::vector<Envelope>& envelopes, std::string& error);

 private:
  KafkaProducer& producer_;
  Metrics& metrics_;
  std::string topic_;
};

}  // namespace switchyard::ingest
