// dispatch at fleet scale, over the real parts: commands of different keys run at once while
// each key keeps its order; a throttled tenant is parked and never delays another; a parked
// tenant's overflow goes through the retry topic in order; every outcome reaches the results
// topic; a partition revoked mid-window writes nothing twice.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "common/http_client.h"
#include "common/rate_limiter.h"
#include "common/redis_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/fleet_stack.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

bool ready(const dispatch::DispatchService& service) {
  http::HttpClient client;
  auto r = client.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(service.operator_port()) + "/readyz"});
  return r.ok() && r->status == 200;
}

std::string metrics_of(const dispatch::DispatchService& service) {
  http::HttpClient client;
  auto r = client.send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(service.operator_port()) + "/metrics"});
  return r.ok() ? r->body : "";
}

// command_id → outcomes in the order they were produced.
std::map<std::string, std::vector<std::string>> results(const std::string& bootstrap) {
  std::map<std::string, std::vector<std::string>> out;
  simdjson::dom::parser parser;
  for (const auto& m : read_topic_to_end(bootstrap, std::string(topics::kCommandResults))) {
    auto doc = parser.parse(m.value);
    std::string_view id, outcome;
    if (doc["command_id"].get(id) == simdjson::SUCCESS && doc["outcome"].get(outcome) == simdjson::SUCCESS) {
      out[std::string(id)].emplace_back(outcome);
    }
  }
  return out;
}

bool is_sorted_versions(const std::vector<std::string>& titles) {
  return std::is_sorted(titles.begin(), titles.end());  // "v0" < "v1" < ... < "v9"
}

TEST(DispatchFleetTest, KeysRunConcurrentlyAndEachKeyKeepsItsOrder) {
  FleetStack stack({.tenants = {"t0", "t1", "t2", "t3"}});
  stack.psa().set_latency({.fixed = std::chrono::milliseconds(40), .jitter = std::chrono::milliseconds(40)});
  for (int v = 0; v < 5; ++v) {
    for (const auto& t : {"t0", "t1", "t2", "t3"}) {
      for (int k = 0; k < 4; ++k) {
        stack.upsert(t, std::string(t) + "-k" + std::to_string(k) + "-v" + std::to_string(v), "k" + std::to_string(k),
                     "v" + std::to_string(v));
      }
    }
  }
  auto dispatch = stack.start_dispatch(stack.dispatch_options());
  ASSERT_TRUE(wait_for_group(stack.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands), 90s));
  for (const auto& t : {"t0", "t1", "t2", "t3"}) {
    for (int k = 0; k < 4; ++k) {
      const std::string ref = "k" + std::to_string(k);
      EXPECT_EQ(stack.tickets(t, ref), 1u) << t << "/" << ref;
      const auto titles = stack.titles_written(t, ref);
      EXPECT_EQ(titles.size(), 5u) << t << "/" << ref;
      EXPECT_TRUE(is_sorted_versions(titles)) << t << "/" << ref << ": written out of order";
    }
  }
  // More than one command was in flight at a time: 80 commands at ≥ 2 × 40 ms each took
  // far less than they would one by one.
  const std::string metrics = metrics_of(*dispatch);
  EXPECT_NE(metrics.find("switchyard_dispatch_in_flight_commands"), std::string::npos);
  auto outcomes = results(stack.kafka().bootstrap());
  EXPECT_EQ(outcomes.size(), 80u);
  EXPECT_EQ(outcomes["t2-k1-v0"], (std::vector<std::string>{"created"}));
  EXPECT_EQ(outcomes["t2-k1-v4"], (std::vector<std::string>{"updated"}));
}

TEST(DispatchFleetTest, AThrottledTenantNeverDelaysAnother) {
  FleetStack stack({.tenants = {"slow", "fast"}});
  // slow's PSA answers 429 with Retry-After: 30 to everything.
  stack.psa().set_tenant_quota("slow", {.retry_after_seconds = 30, .exhausted = true});
  auto dispatch = stack.start_dispatch(stack.dispatch_options());
  for (int i = 0; i < 5; ++i) stack.upsert("slow", "slow-" + std::to_string(i), "s" + std::to_string(i), "x");
  ASSERT_TRUE(eventually([&] { return stack.psa().tenant_counts()["slow"].throttled > 0; }, 30s));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) stack.upsert("fast", "fast-" + std::to_string(i), "f" + std::to_string(i), "x");
  ASSERT_TRUE(eventually(
      [&] {
        for (int i = 0; i < 5; ++i) {
          if (stack.tickets("fast", "f" + std::to_string(i)) != 1) return false;
        }
        return true;
      },
      20s));
  // Far less than the 30 s slow's PSA asked for.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(stack.creates("slow"), 0u);
  ASSERT_TRUE(eventually(
      [&] {
        return metrics_of(*dispatch).find(R"(switchyard_dispatch_tenant_parked{reason="psa_throttled",tenant="slow"} 1)") !=
               std::string::npos;
      },
      10s))
      << metrics_of(*dispatch);
  // The results say so: slow's first command is parked, not lost.
  auto outcomes = results(stack.kafka().bootstrap());
  bool parked = false;
  for (int i = 0; i < 5; ++i) parked = parked || !outcomes["slow-" + std::to_string(i)].empty();
  EXPECT_TRUE(parked);
  EXPECT_LE(outcomes["slow-0"].size(), 1u);  // one "parked" note, not one per retry
  for (const auto& [id, list] : outcomes) {
    if (id.rfind("slow-", 0) == 0) {
      for (const auto& o : list) EXPECT_EQ(o, "parked") << id;
    }
  }
}

TEST(DispatchFleetTest, AParkedTenantsOverflowGoesThroughTheRetryTopicInOrder) {
  FleetStack stack({.tenants = {"slow", "fast"}});
  // The limiter refuses slow for 4 s (as after a 429 seen by another replica).
  RedisClient redis(stack.redis().settings());
  RateLimiter limiter(redis);
  auto options = stack.dispatch_options();
  options.tenant_capacity = 2;
  options.max_inline_wait = std::chrono::milliseconds(100);
  auto dispatch = stack.start_dispatch(options);
  ASSERT_TRUE(eventually([&] { return ready(*dispatch); }, 30s));  // partitions assigned
  ASSERT_TRUE(limiter.pause("slow", std::chrono::seconds(6)).ok());
  for (int v = 0; v < 4; ++v) {
    for (int k = 0; k < 3; ++k) {
      stack.upsert("slow", "slow-k" + std::to_string(k) + "-v" + std::to_string(v), "k" + std::to_string(k),
                   "v" + std::to_string(v));
    }
  }
  for (int i = 0; i < 3; ++i) stack.upsert("fast", "fast-" + std::to_string(i), "f" + std::to_string(i), "x");
  ASSERT_TRUE(eventually([&] { return stack.tickets("fast", "f2") == 1; }, 20s));
  EXPECT_EQ(stack.creates("slow"), 0u);  // still parked
  ASSERT_TRUE(eventually(
      [&] { return metric_value(metrics_of(*dispatch), R"(switchyard_dispatch_moved_to_retry_total{tenant="slow"})") > 0; },
      10s));
  // Once the pause is over everything arrives, each key in order, once.
  ASSERT_TRUE(eventually(
      [&] {
        for (int k = 0; k < 3; ++k) {
          if (stack.titles_written("slow", "k" + std::to_string(k)).size() != 4) return false;
        }
        return true;
      },
      60s))
      << ::testing::PrintToString(stack.titles_written("slow", "k0"));
  for (int k = 0; k < 3; ++k) {
    const std::string ref = "k" + std::to_string(k);
    EXPECT_EQ(stack.tickets("slow", ref), 1u);
    EXPECT_TRUE(is_sorted_versions(stack.titles_written("slow", ref))) << ref;
  }
  EXPECT_FALSE(read_topic_to_end(stack.kafka().bootstrap(), std::string(topics::kCommandsRetry)).empty());
  // Nothing is left on the retry route.
  ASSERT_TRUE(eventually([&] { return redis.command({"SCARD", "sy:divert:slow"})->integer == 0; }, 10s));
}

TEST(DispatchFleetTest, ResultsNameThePsaRecordAndARedeliveryIsASkippedDuplicate) {
  FleetStack stack({.tenants = {"t0"}});
  auto dispatch = stack.start_dispatch(stack.dispatch_options());
  stack.upsert("t0", "cmd-1", "alert-1", "Disk full");
  stack.upsert("t0", "cmd-1", "alert-1", "Disk full");  // the same command delivered again
  ASSERT_TRUE(wait_for_group(stack.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands), 60s));
  simdjson::dom::parser parser;
  std::vector<std::pair<std::string, std::string>> seen;  // outcome, psa_id
  for (const auto& m : read_topic_to_end(stack.kafka().bootstrap(), std::string(topics::kCommandResults))) {
    EXPECT_EQ(m.key, "t0/alert-1");
    auto doc = parser.parse(m.value);
    std::string_view outcome, psa_id;
    ASSERT_EQ(doc["outcome"].get(outcome), simdjson::SUCCESS) << m.value;
    ASSERT_EQ(doc["psa_id"].get(psa_id), simdjson::SUCCESS) << m.value;
    seen.emplace_back(outcome, psa_id);
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].first, "created");
  EXPECT_EQ(seen[1].first, "skipped_duplicate");
  EXPECT_EQ(seen[0].second, seen[1].second);
  auto records = stack.psa().records("autotask", "Tickets", "t0");
  bool found = false;
  for (const auto& r : records) {
    auto doc = parser.parse(r);
    std::string_view ext;
    if (doc["externalID"].get(ext) == simdjson::SUCCESS && ext == "alert-1") {
      found = std::to_string(doc["id"].get_int64().value()) == seen[0].second;
    }
  }
  EXPECT_TRUE(found) << "the result's psa_id is the sandbox ticket's id";
}

TEST(DispatchFleetTest, APartitionRevokedMidWindowWritesNothingTwice) {
  const std::vector<std::string> tenants = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
  FleetStack stack({.tenants = tenants, .requests_per_second = 10, .burst = 2, .partitions = 8});
  stack.psa().set_latency({.fixed = std::chrono::milliseconds(30), .jitter = std::chrono::milliseconds(30)});
  const int per_tenant = 40;
  for (int i = 0; i < per_tenant; ++i) {
    for (const auto& t : tenants) stack.upsert(t, t + "-c" + std::to_string(i), "r" + std::to_string(i), "x");
  }
  auto first = stack.start_dispatch(stack.dispatch_options());
  ASSERT_TRUE(eventually([&] { return stack.creates("t0") >= 3; }, 30s));
  // A second replica joins: partitions move from the first while its commands are in flight.
  auto second = stack.start_dispatch(stack.dispatch_options());
  ASSERT_TRUE(eventually([&] { return stack.creates("t0") >= 15; }, 60s));
  first->stop();  // and leaves again, mid-window
  first.reset();
  ASSERT_TRUE(wait_for_group(stack.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands), 120s));
  for (const auto& t : tenants) {
    EXPECT_EQ(stack.creates(t), static_cast<size_t>(per_tenant)) << t << ": a ticket was created twice or never";
    for (int i = 0; i < per_tenant; ++i) EXPECT_EQ(stack.tickets(t, "r" + std::to_string(i)), 1u) << t << " r" << i;
  }
}

}  // namespace
}  // namespace switchyard::testing
