// Activity records (common/activity.h): their JSON, the link to the troubleshooting entry, and
// the names the API accepts as filters.
#include <gtest/gtest.h>

#include "common/activity.h"
#include "common/activity_view.h"
#include "common/reason_catalogue.h"
#include "common/sync_health.h"
#include "common/time_format.h"

namespace switchyard {
namespace {

ActivityRecord failed_command() {
  ActivityRecord r;
  r.at = "2026-12-01T10:00:00.000Z";
  r.tenant = "acme";
  r.kind = std::string(activity::kCommand);
  r.entity = "ticket.upsert";
  r.outcome = std::string(activity::kDeadLettered);
  r.reason = "psa_rejected";
  r.message = "ConnectWise refused the ticket (403)";
  r.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  r.command_id = "cmd-1";
  r.service = "dispatch";
  return r;
}

TEST(ActivityRecordTest, RoundTripsThroughJsonWithALinkToTheReason) {
  const ActivityRecord r = failed_command();
  const std::string json = to_json(r);
  EXPECT_NE(json.find(R"("help":"docs/troubleshooting.md#psa_rejected")"), std::string::npos) << json;
  auto back = activity_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, r);
}

TEST(ActivityRecordTest, EmptyFieldsAreLeftOutAndASuccessHasNoHelp) {
  const ActivityRecord r{.tenant = "acme",
                        .kind = std::string(activity::kInbound),
                        .psa_id = "42",
                        .outcome = std::string(activity::kEmitted)};
  EXPECT_EQ(to_json(r), R"({"tenant":"acme","kind":"inbound","psa_id":"42","outcome":"emitted"})");
}

TEST(ActivityRecordTest, ARecordWithoutTenantKindOrOutcomeIsRefused) {
  EXPECT_FALSE(activity_from_json(R"({"tenant":"acme","kind":"poll"})"));
  EXPECT_FALSE(activity_from_json("[]"));
  EXPECT_FALSE(activity_from_json(R"({"tenant":"acme","kind":"poll","outcome":7})"));
}

TEST(ActivityRecordTest, ProblemsAreTheOutcomesAPartnerMustLookAt) {
  for (auto o : {activity::kDeadLettered, activity::kFailed, activity::kParked, activity::kRetried}) {
    EXPECT_TRUE(activity::is_problem(o)) << o;
  }
  for (auto o : {activity::kEmitted, activity::kCreated, activity::kSuppressed, activity::kCompleted}) {
    EXPECT_FALSE(activity::is_problem(o)) << o;
  }
}

TEST(ActivityQueryTest, FiltersAreChecked) {
  ActivityQuery q;
  q.tenant = "acme";
  EXPECT_TRUE(validate_activity_query(q));
  q.kind = "command";
  q.outcome = "dead_lettered";
  q.since = "2026-12-01T00:00:00Z";
  q.cursor = "1733040000000-3";
  EXPECT_TRUE(validate_activity_query(q));
  for (auto bad : {&ActivityQuery::kind, &ActivityQuery::outcome, &ActivityQuery::since, &ActivityQuery::cursor}) {
    ActivityQuery b = q;
    b.*bad = "nonsense";
    const auto st = validate_activity_query(b);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "invalid_request");
  }
  q.limit = 0;
  EXPECT_FALSE(validate_activity_query(q));
  q.limit = kMaxActivityPage + 1;
  EXPECT_FALSE(validate_activity_query(q));
}

TEST(ActivityQueryTest, EveryReasonTheServicesRecordIsInTheCatalogue) {
  // The codes the services put on activity records themselves (besides the connectors' and
  // dispatch's, which the catalogue test scans for).
  for (auto code : {"policy_out_of_scope", "policy_unchanged", "policy_echo", "credentials_refused", "poll_failed",
                    "connection_test_failed", "psa_unreachable", "psa_failing"}) {
    EXPECT_NE(find_reason(code), nullptr) << code;
  }
}

TEST(SyncHealthTest, ATenantIsSilentWithoutAnEventWithinItsThreshold) {
  using namespace std::chrono;
  TenantHealth health;
  health.entities["ticket"] = {"2026-12-01T10:00:00.000Z", "2026-12-01T11:00:00.000Z"};
  health.entities["company"] = {"2026-12-01T09:00:00.000Z", ""};
  EXPECT_EQ(health.last_event(), "2026-12-01T10:00:00.000Z");
  const auto at = [](const char* t) { return *parse_rfc3339(t); };
  const std::string fresh = sync_health_json("acme", health, hours(1), at("2026-12-01T10:30:00Z"));
  EXPECT_NE(fresh.find(R"("silent":false)"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find(R"("ticket":{"last_event":"2026-12-01T10:00:00.000Z","last_poll":"2026-12-01T11:00:00.000Z"})"),
            std::string::npos)
      << fresh;
  EXPECT_NE(fresh.find(R"("company":{"last_event":"2026-12-01T09:00:00.000Z"})"), std::string::npos) << fresh;
  const std::string stale = sync_health_json("acme", health, hours(1), at("2026-12-01T11:30:00Z"));
  EXPECT_NE(stale.find(R"("silent":true)"), std::string::npos) << stale;
  // No event ever: silent, whatever the polls say.
  TenantHealth polled_only;
  polled_only.entities["ticket"] = {"", "2026-12-01T11:00:00.000Z"};
  EXPECT_NE(sync_health_json("acme", polled_only, hours(1), at("2026-12-01T11:00:01Z")).find(R"("silent":true)"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard
