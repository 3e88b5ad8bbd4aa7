#include "common/rdkafka_conf.h"

#include "common/log.h"

namespace switchyard {
namespace {

// Values of these properties may be credentials, so errors name the property only.
bool is_secret_property(const std::string& name) {
  for (const char* word : {"password", "secret", "jaas", "token", "key.pem"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

Status set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string errstr;
  if (conf.set(name, value, errstr) != RdKafka::Conf::CONF_OK) {
    std::string message = "invalid Kafka property '";
    message.append(name).append("'");
    if (!is_secret_property(name)) message.append(": ").append(errstr);
    return make_error("kafka_config", message);
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<RdKafka::Conf>> make_rdkafka_conf(
    const KafkaSettings& settings, const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  for (const auto& [name, value] : defaults) {
    if (auto s = set_property(*conf, name, value); !s) return s.error();
  }
  for (const auto& [name, value] : settings.extra) {
    if (auto s = set_property(*conf, name, value); !s) return s.error();
  }
  return conf;
}

void RdKafkaEventLogger::event_cb(RdKafka::Event& event) {
  if (event.type() == RdKafka::Event::EVENT_ERROR) {
    const std::string msg = "kafka " + client_ + " error";
    log::warn(msg, {{"error", RdKafka::err2str(event.err())}, {"detail", event.str()}, {"fatal", event.fatal()}});
  } else if (event.type() == RdKafka::Event::EVENT_LOG && event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING) {
    const std::string msg = "kafka " + client_ + " log";
    log::warn(msg, {{"facility", event.fac()}, {"detail", event.str()}});
  }
}

}  // namespace switchyard
