// Activity (docs/activity.md), the outcomes pipeline_activity_test leaves out, end to end over
// the real parts: a command retried after a PSA fault and then created, skipped when sent
// again, parked while its tenant is throttled; a change a sync policy held back, and one that
// could not be mapped; a poll that failed. (Backfills: ingest_poller_test; connection tests and refused credentials:
// ingest_connection_check_test; dead letters and replays: pipeline_dead_letters_test.)
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "common/activity.h"
#include "common/dead_letter.h"
#include "common/http_client.h"
#include "common/reason_catalogue.h"
#include "common/topics.h"
#include "support/activity_reader.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineActivityOutcomesTest : public ::testing::Test {
 protected:
  // acme keeps only customers with an agreement (docs/sync-policies.md): a lone company is held back.
  PipelineActivityOutcomesTest()
      : stack_(StackOptions{.connectwise_sync_policies = R"(["active_customer_agreements"])"}) {}

  std::vector<ActivityRecord> records(const std::string& tenant, const std::string& query) {
    auto r = client_.send({.method = "GET",
                           .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/activity" + query,
                           .headers = {{"Authorization", "Bearer " + std::string(kReadOnlyToken)}}});
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->status != 200) return {};
    return activity_records(r->body);
  }

  // The newest record of the tenant that `wanted` accepts, waiting for it to be recorded.
  std::optional<ActivityRecord> find(const std::string& tenant, const std::string& query,
                                     const std::function<bool(const ActivityRecord&)>& wanted) {
    return wait_for_activity([&] { return records(tenant, query); }, wanted);
  }

  void post_command(const std::string& id, const std::string& ref) {
    auto r = client_.send({.method = "POST",
                           .url = stack_.ingest_api_url() + "/v1/tenants/globex/commands",
                           .headers = {{"Content-Type", "application/json"},
                                       {"Authorization", "Bearer " + std::string(kApiToken)}},
                           .body = R"({"command_version":1,"id":")" + id + R"(","tenant":"globex",)"
                                   R"("type":"ticket.upsert","payload":{"external_ref":")" + ref +
                                   R"(","title":"Disk full","priority":"high"}})"});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 202) << r->body;
  }

  static auto command(const std::string& id, std::string_view outcome) {
    return [id, outcome](const ActivityRecord& r) { return r.command_id == id && r.outcome == outcome; };
  }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(PipelineActivityOutcomesTest, ACommandIsRetriedAfterAPsaFaultAndARedeliveryIsSkipped) {
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 503, .retry_after_seconds = 0, .count = 1,
                                                       .method = "POST", .path = "/Tickets$"});
  post_command("cmd-o1", "alert-o1");

  const auto retried = find("globex", "?kind=command&outcome=retried", command("cmd-o1", activity::kRetried));
  ASSERT_TRUE(retried.has_value());
  EXPECT_EQ(retried->reason, "psa_failing");
  EXPECT_NE(retried->message.find("attempt 1 of"), std::string::npos) << retried->message;
  const auto created = find("globex", "?kind=command", command("cmd-o1", activity::kCreated));
  ASSERT_TRUE(created.has_value());
  EXPECT_FALSE(created->psa_id.empty());
  EXPECT_EQ(created->trace_id, retried->trace_id) << "one trace follows the command through its attempts";
  EXPECT_EQ(autotask_tickets_with_ref(stack_.psa(), "alert-o1"), 1u);

  // The vendor sends the same command again: recorded as a duplicate of the record it made.
  post_command("cmd-o1", "alert-o1");
  const auto skipped = find("globex", "?kind=command", command("cmd-o1", activity::kSkippedDuplicate));
  ASSERT_TRUE(skipped.has_value());
  EXPECT_EQ(skipped->psa_id, created->psa_id);
  EXPECT_EQ(autotask_tickets_with_ref(stack_.psa(), "alert-o1"), 1u);
}

TEST_F(PipelineActivityOutcomesTest, AThrottledTenantsCommandIsParkedThenCreated) {
  stack_.psa().inject_fault("autotask", sandbox::Fault{.status = 429, .retry_after_seconds = 1, .count = 1,
                                                       .method = "POST", .path = "/Tickets$"});
  post_command("cmd-o2", "alert-o2");

  const auto parked = find("globex", "?outcome=parked", command("cmd-o2", activity::kParked));
  ASSERT_TRUE(parked.has_value());
  EXPECT_EQ(parked->reason, "psa_throttled");
  EXPECT_TRUE(parked->message.starts_with("waiting")) << parked->message;
  // A problem while it waits, so it shows in the problems view...
  const auto problems = records("globex", "?problems=true");
  EXPECT_TRUE(std::ranges::any_of(problems, command("cmd-o2", activity::kParked)));
  // ...and then the write goes through.
  EXPECT_TRUE(find("globex", "?kind=command", command("cmd-o2", activity::kCreated)).has_value());
}

TEST_F(PipelineActivityOutcomesTest, AChangeASyncPolicyHoldsBackIsRecordedAsSuppressed) {
  const std::string company =
      R"({"id":250,"identifier":"AcmeCorp","name":"Acme Corp","status":{"id":1,"name":"Active"},)"
      R"("types":[{"id":1,"name":"Client"}],"deletedFlag":false,"_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
  auto accepted = stack_.post_connectwise_callback(connectwise_callback("company", company));
  ASSERT_TRUE(accepted.ok());
  ASSERT_EQ(accepted->status, 202) << accepted->body;

  const auto held = find("acme", "?kind=inbound",
                         [](const ActivityRecord& r) { return r.psa_id == "250" && r.entity == "company"; });
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->outcome, "suppressed");
  EXPECT_EQ(held->reason, "policy_out_of_scope");
  EXPECT_EQ(held->service, "normalize");
  // Not a problem: the policy did what the partner asked for.
  EXPECT_FALSE(std::ranges::any_of(records("acme", "?problems=true"),
                                   [](const ActivityRecord& r) { return r.psa_id == "250"; }));
}

TEST_F(PipelineActivityOutcomesTest, AChangeThatCannotBeMappedIsDeadLetteredWithItsPlace) {
  // The board must be an object ({"id","name"}): this ticket cannot become a canonical one.
  const std::string ticket = R"({"id":77,"summary":"Odd ticket","board":"Service","_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
  auto accepted = stack_.post_connectwise_callback(connectwise_callback("ticket", ticket));
  ASSERT_TRUE(accepted.ok());
  ASSERT_EQ(accepted->status, 202) << accepted->body;

  const auto letter = find("acme", "?kind=inbound&outcome=dead_lettered",
                           [](const ActivityRecord& r) { return r.psa_id == "77"; });
  ASSERT_TRUE(letter.has_value());
  EXPECT_EQ(letter->entity, "ticket");
  EXPECT_NE(find_reason(letter->reason), nullptr) << letter->reason << " is not in the catalogue";
  EXPECT_TRUE(letter->dead_letter.starts_with(std::string(topics::kRawDeadLetter) + "/")) << letter->dead_letter;
  EXPECT_EQ(letter->message.find("Odd ticket"), std::string::npos) << "never the ticket's text: " << letter->message;

  // The dead letter keeps the original message's headers (normalize reads them on demand).
  const auto letters = read_topic(stack_.kafka().bootstrap(), std::string(topics::kRawDeadLetter), 1, 10s);
  ASSERT_EQ(letters.size(), 1u);
  const auto stored = dead_letter_from_json(letters.front().value);
  ASSERT_TRUE(stored) << stored.error().message;
  std::map<std::string, std::string> headers;
  for (const auto& h : stored->original.headers) headers[h.name] = h.value;
  EXPECT_EQ(headers["sy-tenant"], "acme");
  EXPECT_EQ(headers["sy-trace"], letter->trace_id);
  EXPECT_FALSE(headers["sy-idempotency-key"].empty());
}

TEST_F(PipelineActivityOutcomesTest, AFailedPollIsRecordedWithItsReason) {
  const TenantRef acme = stack_.ingest().tenants().find("acme");
  ASSERT_NE(acme, nullptr);
  stack_.psa().inject_fault("connectwise", sandbox::Fault{.status = 500, .retry_after_seconds = 0, .count = 10,
                                                          .method = "GET", .path = "/service/tickets"});
  EXPECT_FALSE(stack_.ingest().poller().poll_now(*acme, "ticket").ok());

  const auto failed = find("acme", "?kind=poll", [](const ActivityRecord& r) { return r.outcome == "failed"; });
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->entity, "ticket");
  EXPECT_FALSE(failed->reason.empty());
  EXPECT_NE(find_reason(failed->reason), nullptr) << failed->reason << " is not in the catalogue";
  EXPECT_TRUE(failed->message.starts_with("the poll stopped")) << failed->message;
}

}  // namespace
}  // namespace switchyard::testing
