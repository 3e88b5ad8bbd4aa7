#include "support/embedded_kafka.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdexcept>

#include "common/topics.h"

namespace switchyard::testing {

EmbeddedKafka::EmbeddedKafka(int brokers) : brokers_(brokers) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The owning handle is bookkeeping only; keep its own log quiet.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "client.id", "embedded-kafka", errstr, sizeof errstr);
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!handle_) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("EmbeddedKafka: rd_kafka_new: ") + errstr);
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (!cluster_) {
    rd_kafka_destroy(handle_);
    throw std::runtime_error("EmbeddedKafka: rd_kafka_mock_cluster_new failed");
  }
}

EmbeddedKafka::~EmbeddedKafka() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

void EmbeddedKafka::create_topic(std::string_view name, int partitions) {
  const std::string topic(name);
  const auto err = rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("EmbeddedKafka: cannot create topic " + topic + ": " + rd_kafka_err2str(err));
  }
}

void EmbeddedKafka::create_default_topics(int partitions) {
  for (const auto topic : topics::kAll) create_topic(topic, partitions);
}

std::string EmbeddedKafka::bootstrap() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

void EmbeddedKafka::set_brokers_down(bool down) {
  // Broker ids are 1..brokers.
  for (int id = 1; id <= brokers_; ++id) {
    const auto err = down ? rd_kafka_mock_broker_set_down(cluster_, id) : rd_kafka_mock_broker_set_up(cluster_, id);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("EmbeddedKafka: broker up/down: ") + rd_kafka_err2str(err));
    }
  }
}

}  // namespace switchyard::testing
