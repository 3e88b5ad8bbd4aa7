// The Kafka properties file as the service binaries read it (SWITCHYARD_KAFKA_PROPERTIES_FILE):
// ${env:NAME} / ${file:PATH} references are resolved at start and reach the Kafka clients; a
// missing variable or unreadable file stops the service (exit 2) naming the property and the
// reference, never printing a secret. The embedded broker (librdkafka 2.0.2's mock cluster) has
// no SASL or TLS listener: a SASL_PLAINTEXT client gets "SASL Handshake not supported by broker"
// for PLAIN and SCRAM-SHA-512 alike, so the SCRAM path itself is not exercised here
// (docs/deploy.md, "Kafka security").
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/child_process.h"
#include "support/embedded_kafka.h"
#include "support/eventually.h"
#include "support/free_port.h"
#include "support/redis_server.h"
#include "support/service_binary.h"
#include "common/http_client.h"

namespace switchyard::testing {
namespace {

constexpr const char* kSecret = "scram-secret-0123456789abcdef";

class ServiceKafkaPropertiesTest : public ::testing::Test {
 protected:
  ServiceKafkaPropertiesTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("switchyard-kprops-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    kafka_.create_default_topics(2);
  }
  ~ServiceKafkaPropertiesTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::map<std::string, std::string> env(uint16_t port, const std::string& properties) {
    std::ofstream(dir_ / "kafka.properties") << properties;
    auto settings = test_listeners(port);
    settings.insert({{"SWITCHYARD_KAFKA_BOOTSTRAP", kafka_.bootstrap()},
                     {"SWITCHYARD_KAFKA_PROPERTIES_FILE", (dir_ / "kafka.properties").string()},
                     {"SWITCHYARD_REDIS_URL", redis_.url()}});
    return settings;
  }

  int http_status(uint16_t port, const std::string& path) {
    auto r = client_.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + path,
                           .timeout = std::chrono::milliseconds(2000)});
    return r.ok() ? r->status : 0;
  }

  std::filesystem::path dir_;
  RedisServer redis_;
  EmbeddedKafka kafka_;
  http::HttpClient client_;
};

TEST_F(ServiceKafkaPropertiesTest, UnresolvableReferenceStopsAtStartWithoutPrintingSecrets) {
  const auto missing = (dir_ / "kafka-user" / "password").string();
  auto settings = env(free_port(), "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
                                   "sasl.username=${env:KAFKA_USERNAME}\nsasl.password=${file:" + missing + "}\n");
  settings["KAFKA_USERNAME"] = kSecret;  // resolved before the failing line: must not leak either
  ChildProcess normalize({service_binary("normalize")}, settings, (dir_ / "normalize.log").string());
  EXPECT_EQ(normalize.wait(), 2);
  const std::string log = read_file(normalize.log_path());
  EXPECT_NE(log.find("line 4: property 'sasl.password': cannot read file " + missing), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecret), std::string::npos) << log;

  auto no_env = env(free_port(), "sasl.password=${env:KAFKA_PASSWORD}\n");
  ChildProcess dispatch({service_binary("dispatch")}, no_env, (dir_ / "dispatch.log").string());
  EXPECT_EQ(dispatch.wait(), 2);
  const std::string log2 = read_file(dispatch.log_path());
  EXPECT_NE(log2.find("property 'sasl.password': environment variable KAFKA_PASSWORD is not set"), std::string::npos)
      << log2;
}

// References resolve in the binary and the values reach its Kafka clients: with a session
// timeout and heartbeat interval from a variable and a file, normalize joins its group and
// becomes ready; an invalid resolved value is refused by librdkafka naming the property.
TEST_F(ServiceKafkaPropertiesTest, ResolvedReferencesReachTheKafkaClients) {
  std::ofstream(dir_ / "heartbeat") << "500\n";
  const uint16_t port = free_port();
  auto settings = env(port, "session.timeout.ms=${env:SESSION_TIMEOUT_MS}\n"
                            "heartbeat.interval.ms=${file:" + (dir_ / "heartbeat").string() + "}\n");
  settings["SESSION_TIMEOUT_MS"] = "6000";
  ChildProcess normalize({service_binary("normalize")}, settings, (dir_ / "normalize.log").string());
  ASSERT_TRUE(eventually([&] { return http_status(port, "/readyz") == 200; }, std::chrono::seconds(30)))
      << read_file(normalize.log_path());
  ::kill(normalize.pid(), SIGTERM);
  EXPECT_EQ(normalize.wait(), 0);

  auto bad = env(free_port(), "session.timeout.ms=${env:SESSION_TIMEOUT_MS}\n");
  bad["SESSION_TIMEOUT_MS"] = "not-a-number";
  ChildProcess refused({service_binary("normalize")}, bad, (dir_ / "normalize-bad.log").string());
  EXPECT_NE(refused.wait(), 0);
  EXPECT_NE(read_file(refused.log_path()).find("session.timeout.ms"), std::string::npos)
      << read_file(refused.log_path());
}

}  // namespace
}  // namespace switchyard::testing
