// Adoption (common/adoption.h) against a real redis-server: which activity records move which
// field of the tenant's hash, that milestones keep the earliest time whatever order records
// come in, that only successes count as usage and problems count by catalogued reason, that
// names outside the bounds are dropped, and the summary's JSON. (The hook in ActivityLog and
// the exported gauges: pipeline_adoption_test.)
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/adoption.h"
#include "support/redis_server.h"

namespace switchyard::testing {
namespace {

ActivityRecord rec(std::string at, std::string tenant, std::string_view kind, std::string entity, std::string_view outcome,
                   std::string reason = "") {
  ActivityRecord r;
  r.at = std::move(at);
  r.tenant = std::move(tenant);
  r.kind = std::string(kind);
  r.entity = std::move(entity);
  r.outcome = std::string(outcome);
  r.reason = std::move(reason);
  return r;
}

class AdoptionRulesTest : public ::testing::Test {
 protected:
  void fold(const std::vector<ActivityRecord>& records) {
    auto replies = redis_.pipeline(adoption_commands(records));
    ASSERT_TRUE(replies) << replies.error().message;
    for (const auto& r : *replies) ASSERT_NE(r.type, RedisReply::Type::Error) << r.str;
  }
  TenantAdoption read(const std::string& tenant) {
    auto a = read_adoption(redis_, tenant);
    EXPECT_TRUE(a) << a.error().message;
    return a ? *a : TenantAdoption{};
  }

  RedisServer server_;
  RedisClient redis_{server_.settings()};
};

TEST_F(AdoptionRulesTest, MilestonesAreSetByTheirRecordsOnly) {
  fold({rec("2026-12-01T10:00:00Z", "acme", activity::kPoll, "ticket", activity::kCompleted),
        rec("2026-12-01T10:01:00Z", "acme", activity::kConnectionTest, "", activity::kFailed, "connection_test_failed")});
  TenantAdoption a = read("acme");
  EXPECT_EQ(a.first_activity_at, "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(a.activated_at, "") << "a failed connection test does not activate";
  EXPECT_TRUE(a.first_value.empty());

  fold({rec("2026-12-01T10:05:00Z", "acme", activity::kConnectionTest, "", activity::kCompleted),
        // A note created, and a ticket only updated: neither is the first ticket created.
        rec("2026-12-01T10:06:00Z", "acme", activity::kCommand, "ticket.note", activity::kCreated),
        rec("2026-12-01T10:07:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kUpdated),
        // Test mode renders, it does not create.
        rec("2026-12-01T10:08:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kWouldSend),
        rec("2026-12-01T10:09:00Z", "acme", activity::kInbound, "agreement", activity::kSuppressed, "policy_unchanged")});
  a = read("acme");
  EXPECT_EQ(a.activated_at, "2026-12-01T10:05:00.000Z");
  EXPECT_TRUE(a.first_value.empty());
  EXPECT_LT(a.time_to_first_value_seconds(adoption::kTicketCreated), 0);

  fold({rec("2026-12-01T10:15:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kCreated),
        rec("2026-12-01T11:05:00Z", "acme", activity::kInbound, "agreement", activity::kEmitted)});
  a = read("acme");
  EXPECT_EQ(a.first_value[std::string(adoption::kTicketCreated)], "2026-12-01T10:15:00.000Z");
  EXPECT_EQ(a.first_value[std::string(adoption::kAgreementSynced)], "2026-12-01T11:05:00.000Z");
  EXPECT_DOUBLE_EQ(a.time_to_first_value_seconds(adoption::kTicketCreated), 600);
  EXPECT_DOUBLE_EQ(a.time_to_first_value_seconds(adoption::kAgreementSynced), 3600);
  EXPECT_EQ(read("globex").activated_at, "") << "one tenant's records never touch another's hash";
}

TEST_F(AdoptionRulesTest, MilestonesKeepTheEarliestTimeInWhateverOrderRecordsArrive) {
  fold({rec("2026-12-01T10:30:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kCreated)});
  // A later one changes nothing; an earlier one (another service's record, written late) wins;
  // times in another zone are compared as instants.
  fold({rec("2026-12-01T10:45:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kCreated)});
  fold({rec("2026-12-01T11:20:00+01:00", "acme", activity::kCommand, "ticket.upsert", activity::kCreated),
        rec("2026-12-01T10:25:00Z", "acme", activity::kCommand, "ticket.upsert", activity::kCreated)});
  EXPECT_EQ(read("acme").first_value[std::string(adoption::kTicketCreated)], "2026-12-01T10:20:00.000Z");
  // Value before any connection test: the time to it is 0, not negative.
  fold({rec("2026-12-01T12:00:00Z", "acme", activity::kConnectionTest, "", activity::kCompleted)});
  EXPECT_DOUBLE_EQ(read("acme").time_to_first_value_seconds(adoption::kTicketCreated), 0);
}

TEST_F(AdoptionRulesTest, UsageCountsSuccessesByWorkflowAndErrorsCountProblemsByReason) {
  const std::string at = "2026-12-01T10:00:00Z";
  fold({rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kCreated),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kUpdated),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kSkippedDuplicate),
        rec(at, "acme", activity::kCommand, "alert.raised", activity::kExpanded),  // a recipe, expanded
        rec(at, "acme", activity::kInbound, "agreement", activity::kEmitted),
        rec(at, "acme", activity::kInbound, "ticket", activity::kEmitted),
        rec(at, "acme", activity::kInbound, "ticket", activity::kEmitted),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kDeadLettered, "psa_rejected"),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kRetried, "psa_failing"),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kParked, "psa_throttled"),
        rec(at, "acme", activity::kInbound, "ticket", activity::kDeadLettered, "no such reason"),
        rec(at, "acme", activity::kInbound, "ticket", activity::kSuppressed, "policy_echo"),
        // Names outside the bounds are not counted as workflows.
        rec(at, "acme", activity::kCommand, "Ticket.Upsert", activity::kCreated),
        rec(at, "acme", activity::kCommand, "ticket.upsert.x", activity::kCreated),
        rec(at, "acme", activity::kInbound, "widget", activity::kEmitted)});
  fold({rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kCreated),
        rec(at, "acme", activity::kCommand, "ticket.upsert", activity::kDeadLettered, "psa_rejected")});
  const TenantAdoption a = read("acme");
  EXPECT_EQ(a.usage, (std::map<std::string, std::map<std::string, int64_t>>{
                         {"command", {{"alert.raised", 1}, {"ticket.upsert", 3}}},
                         {"inbound", {{"agreement", 1}, {"ticket", 2}}}}));
  EXPECT_EQ(a.errors, (std::map<std::string, int64_t>{
                          {"other", 1}, {"psa_failing", 1}, {"psa_rejected", 2}, {"psa_throttled", 1}}));
}

TEST_F(AdoptionRulesTest, FieldsOutsideTheBoundsAreSkippedWhenRead) {
  ASSERT_TRUE(redis_.command({"HSET", adoption_key("acme"), "activated_at", "yesterday", "usage:command:DROP TABLE",
                              "5", "usage:inbound:ticket", "x", "usage:inbound:agreement", "4", "errors:made_up", "2",
                              "errors:psa_rejected", "3", "first_value:other", "2026-12-01T10:00:00Z", "junk", "1"}));
  const TenantAdoption a = read("acme");
  EXPECT_EQ(a.activated_at, "");
  EXPECT_EQ(a.usage, (std::map<std::string, std::map<std::string, int64_t>>{{"inbound", {{"agreement", 4}}}}));
  EXPECT_EQ(a.errors, (std::map<std::string, int64_t>{{"psa_rejected", 3}}));
  EXPECT_TRUE(a.first_value.empty());
}

TEST_F(AdoptionRulesTest, TheSummaryNamesEveryMilestoneAndNullForWhatIsNotReached) {
  EXPECT_EQ(adoption_json("acme", read("acme")),
            R"({"tenant":"acme","first_activity_at":null,"activated_at":null,)"
            R"("milestones":{"ticket_created":null,"agreement_synced":null},"usage":{},"errors":{}})");
  fold({rec("2026-12-01T10:00:00Z", "acme", activity::kConnectionTest, "", activity::kCompleted),
        rec("2026-12-01T10:02:30Z", "acme", activity::kCommand, "ticket.upsert", activity::kCreated),
        rec("2026-12-01T10:03:00Z", "acme", activity::kCommand, "ticket.close", activity::kFailed, "psa_rejected")});
  simdjson::dom::parser parser;
  const std::string json = adoption_json("acme", read("acme"));
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(doc["activated_at"]), "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(std::string_view(doc["milestones"]["ticket_created"]["at"]), "2026-12-01T10:02:30.000Z");
  EXPECT_DOUBLE_EQ(double(doc["milestones"]["ticket_created"]["time_to_first_value_seconds"]), 150.0);
  EXPECT_TRUE(doc["milestones"]["agreement_synced"].is_null());
  EXPECT_EQ(int64_t(doc["usage"]["command"]["ticket.upsert"]), 1);
  EXPECT_EQ(int64_t(doc["errors"]["psa_rejected"]), 1);
}

}  // namespace
}  // namespace switchyard::testing
