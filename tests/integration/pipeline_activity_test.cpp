// Activity (docs/activity.md), end to end over the real parts: what became of a webhook, a
// command and a poll is recorded for the tenant, with the trace id ingest answered with, and
// served at GET /v1/tenants/{tenant}/activity to a token for that tenant only, filtered and paged.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/activity.h"
#include "common/http_client.h"
#include "common/topics.h"
#include "support/activity_reader.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineActivityTest : public ::testing::Test {
 protected:
  http::ClientResponse get(const std::string& tenant, const std::string& query,
                           std::string_view token = kReadOnlyToken) {
    auto r = client_.send({.method = "GET",
                           .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/activity" + query,
                           .headers = {{"Authorization", "Bearer " + std::string(token)}}});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  }

  // The records of one page, parsed.
  std::vector<ActivityRecord> records(const std::string& tenant, const std::string& query,
                                      std::string* next_cursor = nullptr) {
    const auto response = get(tenant, query);
    EXPECT_EQ(response.status, 200) << response.body;
    return activity_records(response.body, next_cursor);
  }

  std::optional<ActivityRecord> find(const std::string& tenant, const std::string& query,
                                     const std::function<bool(const ActivityRecord&)>& wanted) {
    return wait_for_activity([&] { return records(tenant, query); }, wanted);
  }

  http::ClientResponse post_command(const std::string& body, const std::string& tenant) {
    auto r = client_.send({.method = "POST",
                           .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/commands",
                           .headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + std::string(kApiToken)}},
                           .body = body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  }

  static std::string field(const std::string& json, const char* name) {
    simdjson::dom::parser parser;
    std::string_view value;
    return parser.parse(json)[name].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
  }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(PipelineActivityTest, AWebhooksChangeIsRecordedAsEmittedWithTheTraceIngestAnsweredWith) {
  const std::string ticket = stack_.psa().upsert_record(
      "connectwise", "tickets",
      R"({"summary":"Printer on fire","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"},)"
      R"("company":{"id":2,"identifier":"Acme","name":"Acme Corp"}})");
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(ticket)["id"].get_int64().value());
  auto accepted = stack_.post_connectwise_callback(connectwise_ticket_callback(ticket));
  ASSERT_TRUE(accepted.ok());
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const std::string trace = field(accepted->body, "trace_id");
  ASSERT_EQ(trace.size(), 32u) << accepted->body;

  const auto record = find("acme", "?kind=inbound", [&](const ActivityRecord& r) { return r.psa_id == id; });
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->outcome, "emitted");
  EXPECT_EQ(record->entity, "ticket");
  EXPECT_EQ(record->trace_id, trace);
  EXPECT_EQ(record->service, "normalize");
  EXPECT_TRUE(record->reason.empty());
  // Ids only: the ticket's summary is personal data and never part of a record.
  EXPECT_EQ(get("acme", "").body.find("Printer on fire"), std::string::npos);

  // Sync health: the ticket's last event is now, the tenant is not silent, and the gauge shows it.
  const auto health = client_.send({.method = "GET", .url = stack_.ingest_api_url() + "/v1/tenants/acme/health",
                                    .headers = {{"Authorization", "Bearer " + std::string(kReadOnlyToken)}}});
  ASSERT_TRUE(health.ok());
  ASSERT_EQ(health->status, 200) << health->body;
  EXPECT_NE(health->body.find(R"("silent":false)"), std::string::npos) << health->body;
  EXPECT_NE(health->body.find(R"("ticket":{"last_event":")" + record->at.substr(0, 10)), std::string::npos)
      << health->body;
  EXPECT_NE(health->body.find(R"("silence_threshold_seconds":86400)"), std::string::npos) << health->body;
  EXPECT_TRUE(eventually([&] {
    return metric_value(stack_.ingest().metrics().serialize(),
                        R"(switchyard_tenant_last_event_timestamp_seconds{entity="ticket",tenant="acme"})") > 0;
  }, std::chrono::seconds(10)));

  // The same record is on the activity topic, keyed by tenant.
  const auto messages = read_topic(stack_.kafka().bootstrap(), std::string(topics::kActivity), 1, std::chrono::seconds(10));
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages[0].key, "acme");
}

TEST_F(PipelineActivityTest, ACommandIsRecordedAsCreatedAndARejectedOneAsAProblemWithItsReason) {
  const std::string good =
      R"({"command_version":1,"id":"cmd-a1","tenant":"globex","type":"ticket.upsert",)"
      R"("payload":{"external_ref":"alert-a1","title":"Disk full","priority":"high"}})";
  // Company 999999 does not exist in the sandbox: Autotask refuses the create.
  const std::string bad =
      R"({"command_version":1,"id":"cmd-a2","tenant":"globex","type":"ticket.upsert",)"
      R"("payload":{"external_ref":"alert-a2","title":"No such company","company_id":"999999"}})";
  const auto accepted = post_command(good, "globex");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  ASSERT_EQ(post_command(bad, "globex").status, 202);

  const auto created = find("globex", "?kind=command", [](const ActivityRecord& r) { return r.command_id == "cmd-a1"; });
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->outcome, "created");
  EXPECT_FALSE(created->psa_id.empty());
  EXPECT_EQ(created->entity, "ticket.upsert");
  EXPECT_EQ(created->trace_id, field(accepted.body, "trace_id"));

  const auto rejected =
      find("globex", "?outcome=dead_lettered", [](const ActivityRecord& r) { return r.command_id == "cmd-a2"; });
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->reason, "psa_rejected");
  EXPECT_NE(rejected->message.find("Invalid companyID"), std::string::npos) << rejected->message;
  EXPECT_NE(get("globex", "?outcome=dead_lettered").body.find(R"("help":"docs/troubleshooting.md#psa_rejected")"),
            std::string::npos);
  // The problems view has the failure and not the success.
  const auto problems = records("globex", "?problems=true");
  EXPECT_TRUE(std::ranges::any_of(problems, [](const auto& r) { return r.command_id == "cmd-a2"; }));
  EXPECT_FALSE(std::ranges::any_of(problems, [](const auto& r) { return r.command_id == "cmd-a1"; }));
}

TEST_F(PipelineActivityTest, APollThatFoundChangesIsRecordedAndPagesFollowTheCursor) {
  for (int i = 0; i < 3; ++i) {
    stack_.psa().upsert_record("connectwise", "tickets",
                               R"({"summary":"Polled )" + std::to_string(i) +
                                   R"(","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"}})");
  }
  const TenantRef acme = stack_.ingest().tenants().find("acme");
  ASSERT_NE(acme, nullptr);
  // The first poll starts the watermark; the tickets changed after it are read by the next.
  ASSERT_TRUE(stack_.ingest().poller().poll_now(*acme, "ticket").ok());
  stack_.psa().upsert_record("connectwise", "tickets",
                             R"({"summary":"Changed later","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"}})");
  ASSERT_TRUE(eventually([&] {
    auto polled = stack_.ingest().poller().poll_now(*acme, "ticket");
    return polled.ok() && *polled > 0;
  }, std::chrono::seconds(20)));
  const auto poll = find("acme", "?kind=poll", [](const ActivityRecord& r) { return r.outcome == "completed"; });
  EXPECT_TRUE(eventually([&] {
    return metric_value(stack_.ingest().metrics().serialize(),
                        R"(switchyard_tenant_last_poll_timestamp_seconds{entity="ticket",tenant="acme"})") > 0;
  }, std::chrono::seconds(10)));
  ASSERT_TRUE(poll.has_value());
  EXPECT_EQ(poll->entity, "ticket");
  EXPECT_NE(poll->message.find("changed record"), std::string::npos) << poll->message;

  // Every record of the tenant, one a page: each page is older than the last, none twice.
  // Records may still arrive meanwhile (normalize writes them as it goes): they are newer than the
  // first page, so the walk covers every record there was before it, and none that was not after.
  ASSERT_TRUE(eventually([&] { return records("acme", "?kind=inbound").size() >= 2; }, std::chrono::seconds(30)));
  const size_t before = records("acme", "?limit=500").size();
  std::string cursor;
  std::vector<std::string> seen;
  for (int page = 0; page < 100; ++page) {
    std::string next;
    const auto one = records("acme", "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), &next);
    if (one.empty()) break;
    ASSERT_EQ(one.size(), 1u);
    if (!seen.empty()) {
      EXPECT_LE(one[0].at, seen.back());
    }
    seen.push_back(one[0].at);
    if (next.empty()) break;
    cursor = next;
  }
  EXPECT_GE(seen.size(), before);
  EXPECT_LE(seen.size(), records("acme", "?limit=500").size());
}

TEST_F(PipelineActivityTest, OnlyATokenForTheTenantMaySeeItsActivity) {
  // acme's read token on globex: 403, whether or not globex has activity.
  EXPECT_EQ(get("globex", "", kAcmeReadToken).status, 403);
  EXPECT_EQ(get("acme", "", kAcmeReadToken).status, 200);
  // A token without the read scope, and none at all.
  EXPECT_EQ(get("acme", "", kApiToken).status, 403);
  auto anonymous = client_.send({.method = "GET", .url = stack_.ingest_api_url() + "/v1/tenants/acme/activity"});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 401);
  // Bad filters are refused, naming the parameter.
  for (const char* query : {"?kind=nope", "?outcome=nope", "?since=yesterday", "?cursor=abc", "?limit=0", "?problems=yes"}) {
    const auto r = get("acme", query);
    EXPECT_EQ(r.status, 400) << query;
  }
}

}  // namespace
}  // namespace switchyard::testing
