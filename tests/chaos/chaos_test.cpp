// `make chaos`: nothing lost, nothing written twice, under kill -9, outages and a misbehaving
// PSA. Steady webhook and command traffic runs through the real service binaries, devkafka,
// redis-server and the PSA sandbox while a seeded plan of faults hits them; then the pipeline
// drains and the ledger is checked (docs/reliability.md explains how to read the output).
//   CHAOS_SEED=<n>     repeat a run's fault plan and traffic
//   CHAOS_SECONDS=<n>  traffic duration (default 150)
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "chaos_stack.h"
#include "common/http_client.h"
#include "common/topics.h"
#include "fault_plan.h"
#include "fault_runner.h"
#include "group_progress.h"
#include "ledger.h"
#include "support/eventually.h"
#include "support/topic_tail.h"
#include "traffic.h"

namespace switchyard::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::TopicTail;

uint64_t env_number(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

// One record per element of the JSON array the sandbox's records endpoint answers.
std::vector<std::string> sandbox_records(http::HttpClient& client, const std::string& sandbox,
                                         const std::string& entity) {
  std::vector<std::string> out;
  auto r = client.send({.url = sandbox + "/_sandbox/records/autotask/" + entity, .timeout = 10000ms});
  if (!r.ok() || r->status != 200) return out;
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(r->body).get(items) != simdjson::SUCCESS) return out;
  for (auto item : items) out.push_back(simdjson::to_string(item));
  return out;
}

Observed observe(TopicTail& tail, http::HttpClient* client, const std::string& sandbox) {
  Observed o;
  o.canonical = tail.messages(std::string(topics::kCanonical));
  o.raw = tail.messages(std::string(topics::kRaw));
  o.raw_dead_letters = tail.messages(std::string(topics::kRawDeadLetter));
  o.command_dead_letters = tail.messages(std::string(topics::kCommandsDeadLetter));
  if (client != nullptr) {
    o.tickets = sandbox_records(*client, sandbox, "Tickets");
    o.charges = sandbox_records(*client, sandbox, "ContractCharges");
  }
  return o;
}

std::string seconds_since(Clock::time_point t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(Clock::now() - t).count());
  return buf;
}

// One chaos run; the stack is gone (every process stopped) when it returns.
void run_chaos(uint64_t seed, std::chrono::seconds duration, const std::filesystem::path& dir) {
  Ledger ledger;
  ChaosStack stack(dir);
  TopicTail tail(stack.bootstrap(), {std::string(topics::kCanonical), std::string(topics::kRaw),
                                     std::string(topics::kRawDeadLetter),
                                     std::string(topics::kCommandsDeadLetter)});
  Traffic traffic({.ingest_webhook_url = stack.ingest_webhook_url(),
                   .ingest_api_url = stack.ingest_api_url(),
                   .sandbox_url = stack.sandbox_url(),
                   .run_id = std::to_string(seed),
                   .seed = seed},
                  ledger);
  const auto start = Clock::now();
  traffic.start();

  // Faults from 12 s in (traffic flowing) to 20 s before the end (the last recoveries are due).
  FaultRunner runner(stack, ledger, start);
  const auto plan = plan_faults(seed, 12s, duration - 20s);
  for (size_t next = 0; Clock::now() < start + duration;) {
    if (next < plan.size() && Clock::now() >= start + plan[next].at) runner.apply(plan[next++]);
    runner.tick();
    std::this_thread::sleep_for(50ms);  // the fault loop's tick, not a synchronisation
  }
  runner.recover_all();
  traffic.stop(30s);
  std::printf("chaos: traffic stopped at +%s; waiting for the pipeline to drain\n", seconds_since(start).c_str());
  std::fflush(stdout);

  // Drained: everything accepted is accounted for, then nothing is left to process or redeliver.
  const auto drain_start = Clock::now();
  http::HttpClient client;
  const bool drained = testing::eventually(
      [&] {
        runner.tick();
        const Observed o = observe(tail, &client, stack.sandbox_url());
        return all_webhooks_resolved(ledger, o) && all_commands_resolved(ledger, o);
      },
      180s, 1000ms);
  GroupProgress normalize_group(stack.bootstrap(), "switchyard-normalize");
  GroupProgress dispatch_group(stack.bootstrap(), "switchyard-dispatch");
  std::vector<int64_t> raw_ends, command_ends;
  testing::eventually(
      [&] {
        raw_ends = normalize_group.ends(std::string(topics::kRaw), 4);
        command_ends = dispatch_group.ends(std::string(topics::kCommands), 4);
        return !raw_ends.empty() && !command_ends.empty();
      },
      30s, 500ms);
  const bool quiet = testing::eventually(
      [&] {
        runner.tick();
        return normalize_group.committed(std::string(topics::kRaw), raw_ends) &&
               dispatch_group.committed(std::string(topics::kCommands), command_ends) && tail.caught_up();
      },
      90s, 500ms);
  std::printf("chaos: %s after %s%s\n", drained ? "drained" : "NOT drained", seconds_since(drain_start).c_str(),
              quiet ? "" : " (consumer groups not caught up: late copies may be missed)");

  const Verdict v = check(ledger, observe(tail, &client, stack.sandbox_url()));
  const TrafficCounts counts = traffic.counts();
  if (auto applied = client.send({.url = stack.sandbox_url() + "/_sandbox/faults"}); applied.ok()) {
    std::printf("chaos: sandbox faults: %s\n", applied->body.c_str());
  }
  std::printf("chaos: dead-lettered with a reason: %zu webhooks, %zu commands\n", v.dead_lettered_webhooks,
              v.dead_lettered_commands);
  std::printf(
      "chaos: extra canonical copies %zu: %zu explained (normalize kill -9 or Redis data loss before them), "
      "%zu unexplained\n",
      v.extra_copies, v.explained_copies, v.unexplained_copies);
  std::printf(
      "chaos: duplicate PSA records %zu, changes under two event_ids %zu, unplanned restarts %zu, "
      "deliveries refused %zu, given up %zu\n",
      v.duplicate_records, v.inconsistent_event_ids, runner.unplanned_restarts().size(), counts.refused,
      counts.given_up);
  for (const auto& line : v.details) std::printf("chaos:   %s\n", line.c_str());
  std::printf("chaos: %zu faults, %zu webhooks, %zu commands, lost %zu, twice %zu\n", v.faults, v.webhooks, v.commands,
              v.lost(), v.twice());
  std::fflush(stdout);

  EXPECT_TRUE(drained);
  EXPECT_EQ(v.lost(), 0u);
  EXPECT_EQ(v.twice(), 0u);
  EXPECT_EQ(v.inconsistent_event_ids, 0u);
  EXPECT_EQ(counts.refused, 0u);
  EXPECT_GT(v.webhooks, 0u);
  EXPECT_GT(v.commands, 0u);
}

TEST(Chaos, NothingLostNothingWrittenTwice) {
  const uint64_t seed = env_number("CHAOS_SEED", std::random_device{}() % 1000000);
  const auto duration = std::chrono::seconds(env_number("CHAOS_SECONDS", 150));
  std::printf("chaos: seed %llu (CHAOS_SEED=%llu repeats this run), %lld s of traffic\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed),
              static_cast<long long>(duration.count()));
  const auto dir = std::filesystem::path(SWITCHYARD_BINARY_DIR) / "test-logs" / ("chaos-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  run_chaos(seed, duration, dir);
  if (::testing::Test::HasFailure()) {
    std::printf("chaos: logs in %s\n", dir.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace switchyard::chaos
