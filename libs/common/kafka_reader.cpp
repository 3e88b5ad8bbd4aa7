#include "common/kafka_reader.h"

#include <unistd.h>

#include <atomic>

#include "common/crypto.h"
#include "common/rdkafka_conf.h"
#include "common/rdkafka_message.h"

namespace switchyard {

struct KafkaReader::Impl {
  RdKafkaEventLogger events{"reader"};
  std::unique_ptr<RdKafka::KafkaConsumer> consumer;
};

Result<std::unique_ptr<KafkaReader>> KafkaReader::create(const KafkaSettings& settings) {
  std::unique_ptr<KafkaReader> self(new KafkaReader());
  self->impl_ = std::make_unique<Impl>();
  // librdkafka wants a group id even though assign() never joins the group: a unique one, so
  // no commit or membership can ever touch a service's group.
  auto made = make_rdkafka_conf(settings, {{"bootstrap.servers", settings.bootstrap_servers},
                                           {"client.id", settings.client_id + "-reader"},
                                           {"group.id", "switchyard-reader-" + crypto::random_hex(8)},
                                           {"enable.auto.commit", "false"},
                                           {"enable.auto.offset.store", "false"},
                                           {"auto.offset.reset", "error"},
                                           {"enable.partition.eof", "false"}});
  if (!made) return made.error();
  std::string errstr;
  if ((*made)->set("event_cb", static_cast<RdKafka::EventCb*>(&self->impl_->events), errstr) != RdKafka::Conf::CONF_OK) {
    return make_error("kafka_config", "cannot install reader callbacks: " + errstr);
  }
  self->impl_->consumer.reset(RdKafka::KafkaConsumer::create(made->get(), errstr));
  if (!self->impl_->consumer) return make_error("kafka_config", "cannot create reader: " + errstr);
  return self;
}

KafkaReader::~KafkaReader() {
  if (impl_ && impl_->consumer) impl_->consumer->close();
}

Result<KafkaMessage> KafkaReader::read(const std::string& topic, int32_t partition, int64_t offset,
                                       std::chrono::milliseconds timeout) {
  RdKafka::KafkaConsumer& consumer = *impl_->consumer;
  int64_t low = 0, high = 0;
  const auto err = consumer.query_watermark_offsets(topic, partition, &low, &high, static_cast<int>(timeout.count()));
  if (err != RdKafka::ERR_NO_ERROR) {
    if (err == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) return make_error("not_found", "no such topic or partition");
    return make_error("kafka_unavailable", "kafka did not answer: " + RdKafka::err2str(err));
  }
  if (offset < low || offset >= high) return make_error("not_found", "the message is no longer (or not yet) in Kafka");

  std::unique_ptr<RdKafka::TopicPartition> at(RdKafka::TopicPartition::create(topic, partition, offset));
  std::vector<RdKafka::TopicPartition*> assignment{at.get()};
  if (consumer.assign(assignment) != RdKafka::ERR_NO_ERROR) return make_error("kafka_unavailable", "cannot read the partition");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Result<KafkaMessage> found = make_error("kafka_unavailable", "kafka did not deliver the message in time");
  while (std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(consumer.consume(100));
    if (m->err() == RdKafka::ERR__TIMED_OUT) continue;
    if (m->err() == RdKafka::ERR__AUTO_OFFSET_RESET) {
      found = make_error("not_found", "the message is no longer in Kafka");
      break;
    }
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;  // transient: the deadline bounds it
    if (m->topic_name() == topic && m->partition() == partition && m->offset() == offset) {
      found = to_kafka_message(*m);
      break;
    }
  }
  consumer.unassign();
  return found;
}

}  // namespace switchyard
