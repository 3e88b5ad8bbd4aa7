// How services reach Kafka. The bootstrap list is any Kafka cluster: the embedded dev broker
// locally, a real cluster in production; extra librdkafka properties (TLS, SASL) come from a
// properties file so that no code changes between the two.
#pragma once

#include <map>
#include <string>

namespace switchyard {

struct KafkaSettings {
  std::string bootstrap_servers;                 // "host:port[,host:port...]"
  std::string client_id = "switchyard";
  int delivery_timeout_ms = 10000;               // producer gives up (and ingest answers 503) after this
  // The producer's linger.ms (a linger.ms in `extra` still wins). 0 where each produce is on the
  // path to an answer (ingest's 202); normalize, which waits for a whole batch, sets 2.
  int linger_ms = 0;
  std::map<std::string, std::string> extra;      // passed to librdkafka verbatim
};

}  // namespace switchyard
