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
  // The producer's linger.ms, fractions allowed (a linger.ms in `extra` still wins). 0 for
  // dispatch; ingest sets 0.5 (webhooks that arrive together share produce requests for at most
  // that long); normalize, which waits for a whole batch, sets 2.
  double linger_ms = 0;
  std::map<std::string, std::string> extra;      // passed to librdkafka verbatim
};

}  // namespace switchyard
