// An in-process Kafka cluster for tests: librdkafka's mock cluster on loopback ports. Producers
// and consumers (in this process or in child processes) reach it through bootstrap().
// Mock limits worth knowing: only ~5 MB kept per partition, no Admin
// API, a new consumer group's first rebalance waits ~3 s.
#pragma once

#include <string>
#include <string_view>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace switchyard::testing {

class EmbeddedKafka {
 public:
  explicit EmbeddedKafka(int brokers = 1);  // throws std::runtime_error on failure
  ~EmbeddedKafka();
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

  void create_topic(std::string_view name, int partitions = 4);
  void create_default_topics(int partitions = 4);  // switchyard::topics::kAll
  std::string bootstrap() const;
  // Every broker refuses connections (and drops existing ones) while down.
  void set_brokers_down(bool down);
  // For other fault injection (rd_kafka_mock_push_request_errors, ..._set_rtt).
  rd_kafka_mock_cluster_s* mock() const { return cluster_; }
  int brokers() const { return brokers_; }

 private:
  int brokers_;
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
};

}  // namespace switchyard::testing
