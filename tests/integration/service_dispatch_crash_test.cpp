// kill -9 of a dispatch process in the middle of its window, then a restart: every command
// ends as exactly one record in the PSA. The commands in flight at the kill (some already
// stored by the PSA, their answers lost with the process) come again from the last committed
// offset; the executed-command record and the connector's lookup by external reference turn
// them into updates, never into second tickets.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "common/topics.h"
#include "support/child_process.h"
#include "support/eventually.h"
#include "support/pipeline/fleet_stack.h"
#include "support/service_binary.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

TEST(ServiceDispatchCrashTest, KillNineMidWindowThenRestartWritesEveryCommandExactlyOnce) {
  const std::vector<std::string> tenants = {"t0", "t1", "t2", "t3", "t4", "t5"};
  FleetStack stack({.tenants = tenants, .requests_per_second = 10, .burst = 2, .partitions = 6});
  stack.psa().set_latency({.fixed = std::chrono::milliseconds(50), .jitter = std::chrono::milliseconds(50)});
  const auto dir = std::filesystem::temp_directory_path() / ("switchyard-crash-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "kafka.properties") << "session.timeout.ms=6000\nheartbeat.interval.ms=500\n";
  const ServiceConfig config = stack.config();
  auto env = [&] {
    return std::map<std::string, std::string>{
        {"SWITCHYARD_KAFKA_BOOTSTRAP", config.kafka.bootstrap_servers},
        {"SWITCHYARD_KAFKA_PROPERTIES_FILE", (dir / "kafka.properties").string()},
        {"SWITCHYARD_REDIS_URL", stack.redis().url()},
        {"SWITCHYARD_TENANTS_FILE", config.tenants_file},
        {"SWITCHYARD_OPERATOR_LISTEN", "127.0.0.1:0"},
        {"SWITCHYARD_DISPATCH_CONCURRENCY", "32"}};
  };
  const std::string binary = service_binary("dispatch");
  const int per_tenant = 30;
  for (int i = 0; i < per_tenant; ++i) {
    for (const auto& t : tenants) stack.upsert(t, t + "-c" + std::to_string(i), "r" + std::to_string(i), "x");
  }
  auto total_creates = [&] {
    size_t n = 0;
    for (const auto& t : tenants) n += stack.creates(t);
    return n;
  };
  {
    ChildProcess first({binary}, env(), (dir / "dispatch-1.log").string());
    ASSERT_TRUE(eventually([&] { return total_creates() >= 40; }, 60s)) << "dispatch made no progress";
    ::kill(first.pid(), SIGKILL);
    EXPECT_EQ(first.wait(), 128 + SIGKILL);
  }
  const size_t before_restart = total_creates();
  EXPECT_LT(before_restart, tenants.size() * per_tenant) << "the kill came too late to test anything";
  ChildProcess second({binary}, env(), (dir / "dispatch-2.log").string());
  ASSERT_TRUE(wait_for_group(stack.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands), 120s));
  for (const auto& t : tenants) {
    EXPECT_EQ(stack.creates(t), static_cast<size_t>(per_tenant)) << t;
    for (int i = 0; i < per_tenant; ++i) EXPECT_EQ(stack.tickets(t, "r" + std::to_string(i)), 1u) << t << " r" << i;
  }
  second.terminate();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace switchyard::testing
