// Syncro writes against the sandbox over real HTTP (docs/psa/syncro.md, "Writes"): a ticket is
// made once with its sy-ref tag and found again by it when the write memo is empty; a close sets
// "Resolved" once; an unmapped status, a missing customer and Syncro's 422 are rejected in plain
// language, and a 429 is retryable.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/command.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::testing {
namespace {

using connectors::WriteOutcome;

// Forgets everything: each delivery must find its ticket at Syncro.
class NoMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

class SyncroWritesTest : public ::testing::Test {
 protected:
  SyncroWritesTest() {
    sandbox_.start();
    tenant_.id = "acme";
    tenant_.psa = "syncro";
    tenant_.base_url = sandbox_.psa_base_url("syncro");
    tenant_.allow_insecure_http = true;
    tenant_.credentials = {{"api_token", "syncro-sandbox-api-token"}};
    tenant_.options = {{"default_customer_id", "1"}};
  }
  ~SyncroWritesTest() override { sandbox_.stop(); }

  WriteOutcome run(const std::string& json) {
    auto command = command_from_json(json);
    EXPECT_TRUE(command.ok()) << command.error().message;
    return connectors::builtin_registry().find("syncro")->execute(tenant_, *command, http_, memo_);
  }
  // The stored ticket with id `id`, as JSON ("" when none).
  std::string ticket(const std::string& id) {
    for (const auto& json : sandbox_.records("syncro", "tickets")) {
      simdjson::dom::parser p;
      if (std::to_string(p.parse(json)["id"].get_int64().value()) == id) return json;
    }
    return {};
  }
  size_t ticket_count() { return sandbox_.records("syncro", "tickets").size(); }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
  NoMemo memo_;
};

std::string upsert(const std::string& id, const std::string& payload) {
  std::string json = R"({"id":")";
  json.append(id).append(R"(","tenant":"acme","type":"ticket.upsert","payload":)").append(payload).append("}");
  return json;
}

TEST_F(SyncroWritesTest, ATicketIsMadeOnceAndFoundAgainByItsTagWithoutTheMemo) {
  const size_t before = ticket_count();
  const auto made = run(upsert("c1", R"({"external_ref":"alert-1","title":"Disk full","description":"95% used",)"
                                     R"("priority":"critical","status":{"label":"Waiting on Parts"}})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  EXPECT_EQ(ticket_count(), before + 1);
  simdjson::dom::parser p;
  auto t = p.parse(ticket(made.psa_id)).value();
  EXPECT_EQ(std::string_view(t["subject"].get_string().value()), "Disk full");
  EXPECT_EQ(std::string_view(t["priority"].get_string().value()), "0 Urgent");
  EXPECT_EQ(std::string_view(t["status"].get_string().value()), "Waiting on Parts");
  EXPECT_EQ(t["customer_id"].get_int64().value(), 1);
  EXPECT_EQ(std::string_view(t["tag_list"].at(0).get_string().value()), "sy-ref:alert-1");
  EXPECT_EQ(std::string_view(t["comments_attributes"].at(0)["body"].get_string().value()), "95% used");

  const auto again = run(upsert("c2", R"({"external_ref":"alert-1","title":"Disk full, again"})"));
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, made.psa_id);
  EXPECT_EQ(ticket_count(), before + 1);
  EXPECT_EQ(http_.requests.back().method, "PUT");
  simdjson::dom::parser p2;
  EXPECT_EQ(std::string_view(p2.parse(ticket(made.psa_id))["subject"].get_string().value()), "Disk full, again");
}

TEST_F(SyncroWritesTest, ASearchHitWithoutTheExactTagIsNotTheTicket) {
  // Its subject holds the tag text, so the search finds it; its tag_list does not.
  sandbox_.upsert_record("syncro", "tickets", R"({"subject":"about sy-ref:alert-9","customer_id":1,"tag_list":[]})");
  const size_t before = ticket_count();
  const auto made = run(upsert("c9", R"({"external_ref":"alert-9","title":"New one"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  EXPECT_TRUE(made.created);
  EXPECT_EQ(ticket_count(), before + 1);
}

TEST_F(SyncroWritesTest, ACloseResolvesOnceAndARedeliveryChangesNothing) {
  const auto made = run(upsert("c1", R"({"external_ref":"alert-2","title":"Backup failed"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const std::string close =
      R"({"id":"x1","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-2","resolution":"Re-run ok"}})";
  const auto closed = run(close);
  ASSERT_EQ(closed.kind, WriteOutcome::Kind::Done) << closed.detail;
  EXPECT_EQ(closed.psa_id, made.psa_id);
  simdjson::dom::parser p;
  auto t = p.parse(ticket(made.psa_id)).value();
  EXPECT_EQ(std::string_view(t["status"].get_string().value()), "Resolved");
  EXPECT_EQ(std::string_view(t["comments_attributes"].at(0)["body"].get_string().value()), "Re-run ok");

  const size_t requests = http_.requests.size();
  const auto again = run(close);
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_EQ(http_.requests.back().method, "GET") << "a resolved ticket is not written again";
  EXPECT_GT(http_.requests.size(), requests);

  const auto unknown = run(R"({"id":"x2","tenant":"acme","type":"ticket.close","payload":{"external_ref":"nope"}})");
  EXPECT_EQ(unknown.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(unknown.detail.find("sy-ref:nope"), std::string::npos) << unknown.detail;
}

TEST_F(SyncroWritesTest, ANoteIsOneMarkedCommentAndAnInternalOneIsHidden) {
  const auto made = run(upsert("c1", R"({"external_ref":"alert-4","title":"Printer offline"})"));
  ASSERT_EQ(made.kind, WriteOutcome::Kind::Done) << made.detail;
  const std::string note =
      R"({"id":"n1","tenant":"acme","type":"ticket.note","payload":{"external_ref":"alert-4","note_ref":"n-1","text":"Rebooted"}})";
  const auto added = run(note);
  ASSERT_EQ(added.kind, WriteOutcome::Kind::Done) << added.detail;
  EXPECT_TRUE(added.created);
  EXPECT_EQ(added.parent_psa_id, made.psa_id);
  const auto comments = sandbox_.records("syncro", "comments");
  ASSERT_EQ(comments.size(), 1u);
  simdjson::dom::parser p;
  auto c = p.parse(comments[0]).value();
  EXPECT_EQ(std::string_view(c["body"].get_string().value()), "Rebooted\n\n(sy-note n-1)");
  EXPECT_TRUE(c["hidden"].get_bool().value()) << "internal is the default visibility";

  const auto again = run(note);  // no memo: found by its marker
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, added.psa_id);
  EXPECT_EQ(sandbox_.records("syncro", "comments").size(), 1u);
}

TEST_F(SyncroWritesTest, ABillingLineIsOneMarkedScheduleLineInCents) {
  const std::string line =
      R"({"id":"b1","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"usage-1",)"
      R"("agreement_id":"1","description":"Backup storage","quantity":3,"unit_price":19.99,"product_id":"42"}})";
  const auto added = run(line);
  ASSERT_EQ(added.kind, WriteOutcome::Kind::Done) << added.detail;
  EXPECT_TRUE(added.created);
  const auto lines = sandbox_.records("syncro", "schedule_line_items");
  ASSERT_EQ(lines.size(), 1u);
  simdjson::dom::parser p;
  auto l = p.parse(lines[0]).value();
  EXPECT_EQ(l["schedule_id"].get_int64().value(), 1);
  EXPECT_EQ(l["retail_cents"].get_int64().value(), 1999);
  EXPECT_EQ(l["product_id"].get_int64().value(), 42);
  EXPECT_EQ(std::string_view(l["name"].get_string().value()), "Backup storage");

  const auto again = run(line);  // no memo: found on the schedule by its marker
  ASSERT_EQ(again.kind, WriteOutcome::Kind::Done) << again.detail;
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.psa_id, added.psa_id);
  EXPECT_EQ(sandbox_.records("syncro", "schedule_line_items").size(), 1u);

  const auto missing = run(R"({"id":"b2","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"usage-2",)"
                           R"("agreement_id":"999","description":"X","quantity":1}})");
  EXPECT_EQ(missing.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(missing.http_status, 404);
}

TEST_F(SyncroWritesTest, BadCommandsAreRejectedAndThrottlingIsRetried) {
  const auto unmapped = run(upsert("c1", R"({"external_ref":"a3","title":"T","status":"on_fire"})"));
  EXPECT_EQ(unmapped.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(unmapped.detail.find("on_fire"), std::string::npos) << unmapped.detail;

  tenant_.options.clear();
  const auto no_customer = run(upsert("c2", R"({"external_ref":"a4","title":"T"})"));
  EXPECT_EQ(no_customer.kind, WriteOutcome::Kind::Rejected);
  EXPECT_NE(no_customer.detail.find("default_customer_id"), std::string::npos) << no_customer.detail;

  // A command always has a title, so a fault stands in for Syncro's 422 refusal.
  sandbox::Fault fault;
  fault.status = 422;
  fault.method = "POST";
  sandbox_.inject_fault("syncro", fault);
  const auto invalid = run(upsert("c4", R"({"external_ref":"a6","title":"T","company_id":"1"})"));
  EXPECT_EQ(invalid.kind, WriteOutcome::Kind::Rejected);
  EXPECT_EQ(invalid.http_status, 422);
  EXPECT_NE(invalid.detail.find("(422)"), std::string::npos) << invalid.detail;

  sandbox::Fault throttle;
  throttle.status = 429;
  throttle.retry_after_seconds = 2;
  sandbox_.inject_fault("syncro", throttle);
  const auto throttled = run(upsert("c5", R"({"external_ref":"a7","title":"T","company_id":"1"})"));
  EXPECT_EQ(throttled.kind, WriteOutcome::Kind::Retryable);
  EXPECT_EQ(throttled.retry_after, std::chrono::milliseconds(2000));
}

}  // namespace
}  // namespace switchyard::testing
