// The listeners of ServiceConfig (docs/configuration.md#listeners): one per audience, their
// defaults, "off", the retired SWITCHYARD_LISTEN and two listeners on one port.
#include <gtest/gtest.h>

#include <map>

#include "common/service_config.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

// The variables given, and the one every service requires.
Env env_of(std::map<std::string, std::string> vars) {
  vars.emplace("SWITCHYARD_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
  return testing::env_of(std::move(vars));
}

std::string config_error(const Env& env, std::string_view service) {
  try {
    (void)load_service_config(env, service);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ServiceConfigListeners, DefaultsGiveEachAudienceItsOwnPort) {
  const ServiceConfig ingest = load_service_config(env_of({}), "ingest");
  EXPECT_EQ(ingest.webhook_listen.host, "0.0.0.0");
  EXPECT_EQ(ingest.webhook_listen.port, 8080);
  EXPECT_TRUE(ingest.webhook_listen.enabled);
  EXPECT_EQ(ingest.api_listen.port, 8081);
  EXPECT_TRUE(ingest.api_listen.enabled);
  EXPECT_EQ(ingest.operator_listen.port, 9090);
  EXPECT_TRUE(ingest.operator_listen.enabled);

  for (const char* service : {"normalize", "dispatch"}) {
    // Only ingest serves webhooks and the API, whatever the environment says.
    const ServiceConfig c = load_service_config(
        env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "0.0.0.0:8080"}, {"SWITCHYARD_OPERATOR_LISTEN", "127.0.0.1:0"}}), service);
    EXPECT_FALSE(c.webhook_listen.enabled) << service;
    EXPECT_FALSE(c.api_listen.enabled) << service;
    EXPECT_EQ(c.operator_listen.host, "127.0.0.1") << service;
    EXPECT_EQ(c.operator_listen.port, 0) << service;
  }
}

TEST(ServiceConfigListeners, WebhookAndApiListenersCanBeOffTheOperatorOneCannot) {
  const ServiceConfig poller =
      load_service_config(env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "off"}, {"SWITCHYARD_API_LISTEN", "off"}}), "ingest");
  EXPECT_FALSE(poller.webhook_listen.enabled);
  EXPECT_FALSE(poller.api_listen.enabled);
  EXPECT_TRUE(poller.operator_listen.enabled);
  EXPECT_NE(config_error(env_of({{"SWITCHYARD_OPERATOR_LISTEN", "off"}}), "normalize")
                .find("SWITCHYARD_OPERATOR_LISTEN: cannot be off"),
            std::string::npos);
  EXPECT_NE(config_error(env_of({{"SWITCHYARD_API_LISTEN", "8081"}}), "ingest").find("SWITCHYARD_API_LISTEN"),
            std::string::npos);
}

TEST(ServiceConfigListeners, TheRetiredListenVariableNamesItsReplacements) {
  for (const char* service : {"ingest", "normalize", "dispatch"}) {
    const std::string error = config_error(env_of({{"SWITCHYARD_LISTEN", "0.0.0.0:8080"}}), service);
    for (const char* name : {"SWITCHYARD_LISTEN:", "SWITCHYARD_OPERATOR_LISTEN", "SWITCHYARD_WEBHOOK_LISTEN",
                             "SWITCHYARD_API_LISTEN"}) {
      EXPECT_NE(error.find(name), std::string::npos) << service << ": " << error;
    }
  }
}

TEST(ServiceConfigListeners, TwoListenersOnOnePortAreRefusedButPortZeroIsFreeEachTime) {
  EXPECT_NE(config_error(env_of({{"SWITCHYARD_API_LISTEN", "0.0.0.0:9090"}}), "ingest")
                .find("SWITCHYARD_OPERATOR_LISTEN: port 9090 is also SWITCHYARD_API_LISTEN's"),
            std::string::npos);
  const ServiceConfig tests = load_service_config(env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "127.0.0.1:0"},
                                                          {"SWITCHYARD_API_LISTEN", "127.0.0.1:0"},
                                                          {"SWITCHYARD_OPERATOR_LISTEN", "127.0.0.1:0"}}),
                                                  "ingest");
  EXPECT_EQ(tests.webhook_listen.port, 0);
  // Two specific addresses may share a port; a wildcard one shares it with every address.
  EXPECT_NO_THROW(load_service_config(env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "10.0.0.5:8080"},
                                              {"SWITCHYARD_API_LISTEN", "127.0.0.1:8080"}}),
                                      "ingest"));
  EXPECT_NE(config_error(env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "0.0.0.0:8080"}, {"SWITCHYARD_API_LISTEN", "127.0.0.1:8080"}}),
                         "ingest")
                .find("SWITCHYARD_API_LISTEN: port 8080 is also SWITCHYARD_WEBHOOK_LISTEN's"),
            std::string::npos);
  // A listener that is off shares nothing.
  EXPECT_NO_THROW(load_service_config(
      env_of({{"SWITCHYARD_WEBHOOK_LISTEN", "off"}, {"SWITCHYARD_API_LISTEN", "0.0.0.0:8080"}}), "ingest"));
}

}  // namespace
}  // namespace switchyard
