// The Kafka properties file: key=value lines whose values may reference secrets as
// ${env:NAME} / ${file:PATH} (Strimzi KafkaUser Secrets mounted or exposed as variables),
// resolved at start; errors name the property and never print a secret. The resolved
// properties reach librdkafka (a producer accepts a SASL_SSL/SCRAM configuration).
#include "common/kafka_properties.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/kafka_producer.h"
#include "common/service_config.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "s3cr3t-SCRAM-pa55word";

using testing::env_of;

class KafkaPropertiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("switchyard-kafka-props-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    const auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // The ConfigError's message for parsing `text`; fails the test if nothing is thrown.
  std::string error_of(const std::string& text, const Env& env) {
    try {
      parse_kafka_properties(text, "props", env);
    } catch (const ConfigError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected ConfigError for: " << text;
    return {};
  }

  fs::path dir_;
};

TEST_F(KafkaPropertiesTest, LiteralsCommentsAndPathsPassAsIs) {
  const auto props = parse_kafka_properties(
      "# Strimzi SCRAM over TLS\n"
      "! also a comment\n"
      "\n"
      "security.protocol = SASL_SSL\r\n"
      "sasl.mechanism=SCRAM-SHA-512\n"
      "ssl.ca.location=/etc/kafka-cluster-ca/ca.crt\n"
      "client.rack=${zone}\n"
      "sasl.username=switchyard-ingest",
      "props", env_of({}));
  EXPECT_EQ(props, (std::map<std::string, std::string>{{"security.protocol", "SASL_SSL"},
                                                        {"sasl.mechanism", "SCRAM-SHA-512"},
                                                        {"ssl.ca.location", "/etc/kafka-cluster-ca/ca.crt"},
                                                        {"client.rack", "${zone}"},
                                                        {"sasl.username", "switchyard-ingest"}}));
}

TEST_F(KafkaPropertiesTest, ResolvesEnvAndFileReferences) {
  const auto password_file = write("password", std::string(kSecret) + "\n");
  const auto props = parse_kafka_properties(
      "sasl.password=${env:KAFKA_PASSWORD}\n"
      "ssl.key.password=${file:" + password_file + "}\n"
      "sasl.jaas.config=user=\"${env:KAFKA_USER}\" password=\"${env:KAFKA_PASSWORD}\";\n",
      "props", env_of({{"KAFKA_PASSWORD", kSecret}, {"KAFKA_USER", "switchyard-dispatch"}}));
  EXPECT_EQ(props.at("sasl.password"), kSecret);
  EXPECT_EQ(props.at("ssl.key.password"), kSecret);  // trailing newline dropped
  EXPECT_EQ(props.at("sasl.jaas.config"),
            std::string("user=\"switchyard-dispatch\" password=\"") + kSecret + "\";");
}

TEST_F(KafkaPropertiesTest, MissingEnvNamesPropertyAndVariable) {
  const auto message = error_of("\nsasl.password=${env:KAFKA_PASSWORD}\n", env_of({}));
  EXPECT_NE(message.find("props line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("sasl.password"), std::string::npos) << message;
  EXPECT_NE(message.find("KAFKA_PASSWORD"), std::string::npos) << message;
  const auto empty = error_of("sasl.password=${env:KAFKA_PASSWORD}", env_of({{"KAFKA_PASSWORD", ""}}));
  EXPECT_NE(empty.find("KAFKA_PASSWORD"), std::string::npos) << empty;  // Env treats empty as unset
}

TEST_F(KafkaPropertiesTest, UnreadableOrOversizedFileNamesPropertyAndPath) {
  const auto missing = (dir_ / "no-such-password").string();
  auto message = error_of("sasl.password=${file:" + missing + "}", env_of({}));
  EXPECT_NE(message.find("sasl.password"), std::string::npos) << message;
  EXPECT_NE(message.find(missing), std::string::npos) << message;

  const auto big = write("big", std::string(kMaxPropertyFileBytes + 1, 'x'));
  message = error_of("sasl.password=${file:" + big + "}", env_of({}));
  EXPECT_NE(message.find("larger than"), std::string::npos) << message;

  const auto empty = write("empty", "\n");
  message = error_of("sasl.password=${file:" + empty + "}", env_of({}));
  EXPECT_NE(message.find("is empty"), std::string::npos) << message;

  // A directory is not readable as a secret either.
  message = error_of("sasl.password=${file:" + dir_.string() + "}", env_of({}));
  EXPECT_NE(message.find("sasl.password"), std::string::npos) << message;
}

TEST_F(KafkaPropertiesTest, ErrorsNeverContainTheSecret) {
  const auto password_file = write("password", kSecret);
  const Env env = env_of({{"KAFKA_PASSWORD", kSecret}});
  // A later line fails after secrets were resolved on earlier ones and in the same value.
  for (const std::string& text : std::vector<std::string>{
           "sasl.password=${env:KAFKA_PASSWORD}\nssl.key.password=${env:MISSING}\n",
           "sasl.jaas.config=password=\"${env:KAFKA_PASSWORD}\" x=${file:" + (dir_ / "nope").string() + "}\n",
           "sasl.password=${file:" + password_file + "} ${env:KAFKA_PASSWORD\n",
           "sasl.password=${env:KAFKA_PASSWORD}\nsasl.password=${env:KAFKA_PASSWORD}\n",
           "sasl.password=${env:KAFKA_PASSWORD}\n" + std::string(kSecret) + "\n",
       }) {
    const auto message = error_of(text, env);
    EXPECT_FALSE(message.empty());
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  }
}

TEST_F(KafkaPropertiesTest, MalformedLinesAndReferences) {
  EXPECT_NE(error_of("security.protocol SASL_SSL", env_of({})).find("line 1 is not key=value"), std::string::npos);
  EXPECT_NE(error_of("=x", env_of({})).find("empty key"), std::string::npos);
  EXPECT_NE(error_of("a=1\na=2", env_of({})).find("set twice"), std::string::npos);
  EXPECT_NE(error_of("sasl.password=${env:X", env_of({{"X", "y"}})).find("unterminated"), std::string::npos);
  EXPECT_NE(error_of("sasl.password=${env:}", env_of({})).find("empty ${env:}"), std::string::npos);
}

TEST_F(KafkaPropertiesTest, ServiceConfigReadsTheFileThroughTheVariable) {
  const auto password_file = write("password", kSecret);
  const auto path = write("kafka.properties",
                          "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                          "sasl.username=${env:KAFKA_USERNAME}\nsasl.password=${file:" + password_file + "}\n");
  const auto config = load_service_config(env_of({{"SWITCHYARD_KAFKA_BOOTSTRAP", "127.0.0.1:9092"},
                                                   {"SWITCHYARD_KAFKA_PROPERTIES_FILE", path},
                                                   {"KAFKA_USERNAME", "switchyard-normalize"}}),
                                          "normalize");
  EXPECT_EQ(config.kafka.extra.at("sasl.username"), "switchyard-normalize");
  EXPECT_EQ(config.kafka.extra.at("sasl.password"), kSecret);

  try {
    load_service_config(env_of({{"SWITCHYARD_KAFKA_BOOTSTRAP", "127.0.0.1:9092"},
                                {"SWITCHYARD_KAFKA_PROPERTIES_FILE", path}}),
                        "normalize");
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("SWITCHYARD_KAFKA_PROPERTIES_FILE " + path + " line 3"), std::string::npos) << message;
    EXPECT_NE(message.find("sasl.username"), std::string::npos) << message;
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  }
}

// The embedded broker (librdkafka's mock cluster) has no SASL: rdkafka_mock.h offers no SASL or
// SSL listener. So this checks the wiring instead: the resolved properties are what librdkafka is
// given, it accepts a SCRAM configuration, and rejects an unknown property by name.
TEST_F(KafkaPropertiesTest, ResolvedPropertiesReachLibrdkafka) {
  KafkaSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.extra = parse_kafka_properties(
      "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
      "sasl.username=switchyard-ingest\nsasl.password=${env:KAFKA_PASSWORD}\n",
      "props", env_of({{"KAFKA_PASSWORD", kSecret}}));
  auto producer = KafkaProducer::create(settings);
  ASSERT_TRUE(producer) << producer.error().message;

  settings.extra["sasl.no.such.property"] = kSecret;
  auto bad = KafkaProducer::create(settings);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("sasl.no.such.property"), std::string::npos) << bad.error().message;

  settings.extra.erase("sasl.no.such.property");
  settings.extra["sasl.mechanism"] = "SCRAM-SHA-999";
  auto bad_mechanism = KafkaProducer::create(settings);
  ASSERT_FALSE(bad_mechanism);
  EXPECT_EQ(bad_mechanism.error().message.find(kSecret), std::string::npos) << bad_mechanism.error().message;
}

}  // namespace
}  // namespace switchyard
