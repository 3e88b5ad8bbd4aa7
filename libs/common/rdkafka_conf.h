// What every librdkafka client of Switchyard (producer, group consumer, dead-letter reader)
// configures the same way: a configuration from our defaults for the client kind with the
// settings' extra properties (TLS, SASL) over them, and librdkafka's own errors and warnings as
// structured log lines instead of its stderr format.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/kafka_settings.h"
#include "common/result.h"

namespace switchyard {

// Errors ("kafka_config") name the property, and its problem only when the property cannot
// hold a credential.
Result<std::unique_ptr<RdKafka::Conf>> make_rdkafka_conf(
    const KafkaSettings& settings, const std::vector<std::pair<std::string, std::string>>& defaults);

// Logs librdkafka's errors and warnings as "kafka <client> error" / "kafka <client> log".
class RdKafkaEventLogger : public RdKafka::EventCb {
 public:
  explicit RdKafkaEventLogger(std::string client) : client_(std::move(client)) {}
  void event_cb(RdKafka::Event& event) override;

 private:
  std::string client_;
};

}  // namespace switchyard
