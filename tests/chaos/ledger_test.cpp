// The chaos suite's ledger check on made-up inputs: it must call a loss a loss and a duplicate a
// duplicate, and excuse only the copies that a normalize kill or a Redis data loss explains.
#include "ledger.h"

#include <gtest/gtest.h>

namespace switchyard::chaos {
namespace {

KafkaMessage canonical(const std::string& event_id, int64_t at_ms, const std::string& title = "chaos cw 1 v1",
                       const std::string& id = "1") {
  KafkaMessage m;
  m.timestamp_ms = at_ms;
  m.value = R"({"schema":"switchyard.canonical/v1","type":"ticket","event_id":")" + event_id +
            R"(","record":{"tenant":"acme","source":{"psa":"connectwise","entity":"ticket","id":")" + id +
            R"("},"title":")" + title + R"("}})";
  return m;
}

KafkaMessage dead_letter(const std::string& original_value, const std::string& reason = "unmappable") {
  std::string escaped;
  for (const char c : original_value) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  KafkaMessage m;
  m.value = R"({"service":"x","reason":{"code":")" + reason + R"(","message":"m"},"original":{"value":")" + escaped +
            R"("}})";
  return m;
}

TEST(ChaosLedgerTest, AcceptedWebhooksMustComeOutOrBeDeadLettered) {
  Ledger ledger;
  ledger.webhook_accepted({"connectwise", "chaos cw 1 v1", {"k1"}, 1});
  ledger.webhook_accepted({"connectwise", "chaos cw 2 v1", {"k2"}, 1});
  ledger.webhook_accepted({"connectwise", "chaos cw 3 v1", {"k3"}, 1});
  Observed o;
  o.canonical = {canonical("k1", 100)};
  o.raw_dead_letters = {dead_letter(R"({"idempotency_key":"k2"})")};
  const Verdict v = check(ledger, o);
  EXPECT_EQ(v.lost_webhooks, 1u);  // k3
  EXPECT_EQ(v.dead_lettered_webhooks, 1u);
  EXPECT_FALSE(all_webhooks_resolved(ledger, o));
  o.canonical.push_back(canonical("k3", 200, "chaos cw 3 v1", "3"));
  EXPECT_TRUE(all_webhooks_resolved(ledger, o));
  EXPECT_EQ(check(ledger, o).lost(), 0u);
}

TEST(ChaosLedgerTest, ACopyIsExcusedOnlyByANormalizeKillOrRedisLossBetweenTheCopies) {
  Ledger ledger;
  ledger.webhook_accepted({"connectwise", "chaos cw 1 v1", {"k1"}, 1});
  ledger.fault("kill -9 dispatch", false);
  const int64_t kill = now_ms();
  ledger.fault("kill -9 normalize", true);
  Observed o;
  o.canonical = {canonical("k1", kill - 1000), canonical("k1", kill + 1000),   // explained
                 canonical("k2", kill + 2000), canonical("k2", kill + 3000)};  // both after: not explained
  const Verdict v = check(ledger, o);
  EXPECT_EQ(v.extra_copies, 2u);
  EXPECT_EQ(v.explained_copies, 1u);
  EXPECT_EQ(v.unexplained_copies, 1u);
  EXPECT_EQ(v.twice(), 1u);
}

TEST(ChaosLedgerTest, OneChangeUnderTwoEventIdsIsReported) {
  Ledger ledger;
  Observed o;
  o.canonical = {canonical("k1", 1, "chaos at 5 v2", "5"), canonical("k9", 2, "chaos at 5 v2", "5")};
  EXPECT_EQ(check(ledger, o).inconsistent_event_ids, 1u);
}

TEST(ChaosLedgerTest, EveryCommandHasExactlyOneRecordOrADeadLetter) {
  Ledger ledger;
  ledger.command_accepted({"c1", "ticket.upsert", "ref-1", 1});
  ledger.command_accepted({"c2", "ticket.upsert", "ref-1", 2});  // an update of the same ticket
  ledger.command_accepted({"c3", "billing_line.add", "ref-3", 3});
  ledger.command_accepted({"c4", "ticket.upsert", "ref-4", 4});
  ledger.command_accepted({"c5", "billing_line.add", "ref-5", 5});
  Observed o;
  o.tickets = {R"({"id":1,"externalID":"ref-1"})"};
  o.charges = {R"({"id":7,"description":")" + billing_description("ref-3") + R"("})",
               R"({"id":8,"description":")" + billing_description("ref-3") + R"("})"};
  o.command_dead_letters = {dead_letter(R"({"id":"c4","tenant":"globex"})", "psa_rejected")};
  const Verdict v = check(ledger, o);
  EXPECT_EQ(v.duplicate_records, 1u);  // ref-3 billed twice
  EXPECT_EQ(v.dead_lettered_commands, 1u);
  EXPECT_EQ(v.lost_commands, 1u);  // c5
  EXPECT_FALSE(all_commands_resolved(ledger, o));
}

}  // namespace
}  // namespace switchyard::chaos
