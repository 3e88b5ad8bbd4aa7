// devkafka's control channel, which the chaos suite drives: commands answer "ok" or a reason,
// and a broker taken down really refuses producers until it is brought back.
#include "devkafka_control.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/kafka_producer.h"
#include "common/topics.h"
#include "support/child_process.h"
#include "support/eventually.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;

class DevkafkaControlTest : public ::testing::Test {
 protected:
  DevkafkaControlTest()
      : dir_(std::filesystem::temp_directory_path() / ("switchyard-devkafka-" + std::to_string(::getpid()))),
        devkafka_(
            {std::string(SWITCHYARD_BINARY_DIR) + "/tools/devkafka/devkafka", "--brokers", "2", "--bootstrap-file",
             (dir_ / "bootstrap").string(), "--control-port", "0", "--control-file", (dir_ / "control").string()},
            {}, make_dir_and_log()) {
    EXPECT_TRUE(testing::eventually([&] { return std::filesystem::exists(dir_ / "control"); }, 20s));
    std::ifstream control(dir_ / "control"), bootstrap(dir_ / "bootstrap");
    std::string address;
    control >> address;
    bootstrap >> bootstrap_;
    port_ = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  }
  ~DevkafkaControlTest() override {
    devkafka_.terminate();
    std::filesystem::remove_all(dir_);
  }

  std::string make_dir_and_log() {
    std::filesystem::create_directories(dir_);
    return (dir_ / "devkafka.log").string();
  }

  bool produce(std::chrono::milliseconds timeout) {
    KafkaSettings settings;
    settings.bootstrap_servers = bootstrap_;
    settings.delivery_timeout_ms = static_cast<int>(timeout.count());
    auto producer = KafkaProducer::create(settings);
    return producer.ok() && (*producer)->produce_sync(std::string(topics::kRaw), "k", "v").ok;
  }

  std::filesystem::path dir_;
  testing::ChildProcess devkafka_;
  std::string bootstrap_;
  uint16_t port_ = 0;
};

TEST_F(DevkafkaControlTest, CommandsAnswerOkOrAReason) {
  EXPECT_EQ(devkafka_command(port_, "ping"), "ok");
  EXPECT_EQ(devkafka_command(port_, "errors Produce NOT_LEADER_FOR_PARTITION 3"), "ok");
  EXPECT_EQ(devkafka_command(port_, "clear-errors produce"), "ok");
  EXPECT_EQ(devkafka_command(port_, "leader switchyard.raw.v1 0 2"), "ok");
  EXPECT_EQ(devkafka_command(port_, "rtt all 0"), "ok");
  EXPECT_EQ(devkafka_command(port_, "broker down 3"), "error broker must be 1..2 or all");
  EXPECT_EQ(devkafka_command(port_, "errors Produce NO_SUCH_ERROR"), "error unknown error code NO_SUCH_ERROR");
  EXPECT_TRUE(devkafka_command(port_, "launch rockets").starts_with("error unknown command"));
}

TEST_F(DevkafkaControlTest, BrokersDownRefuseProducersUntilBackUp) {
  ASSERT_TRUE(produce(10s));
  ASSERT_EQ(devkafka_command(port_, "broker down all"), "ok");
  EXPECT_FALSE(produce(1500ms));
  ASSERT_EQ(devkafka_command(port_, "broker up all"), "ok");
  EXPECT_TRUE(produce(10s));
}

}  // namespace
}  // namespace switchyard::chaos
