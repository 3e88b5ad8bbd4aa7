// Polling ConnectWise ticket notes against the sandbox over real HTTP. Notes are listed only
// below their ticket, so the poll walks the tickets changed in the delta: every note is read
// exactly once however many calls the delta takes, only notes changed since the watermark come
// back, and each maps to a canonical ticket_note of its ticket.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <thread>

#include "common/envelope.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/registry.h"
#include "psa-sandbox/sandbox.h"
#include "support/sandbox_psa.h"

namespace switchyard::connectors {
namespace {

using testing::RecordingHttp;

class ConnectWiseNotesPollTest : public ::testing::Test {
 protected:
  ConnectWiseNotesPollTest() {
    sandbox_.start();
    tenant_ = testing::connectwise_sandbox_tenant(sandbox_);
  }
  ~ConnectWiseNotesPollTest() override { sandbox_.stop(); }

  const Connector& cw() const { return *builtin_registry().find("connectwise"); }

  std::string new_ticket(int n) {
    const std::string json = sandbox_.upsert_record("connectwise", "tickets",
                                                    R"({"summary":"ticket )" + std::to_string(n) + R"("})");
    simdjson::dom::parser parser;
    int64_t id = 0;
    EXPECT_EQ(parser.parse(json)["id"].get(id), simdjson::SUCCESS) << json;
    return std::to_string(id);
  }

  // Adds a note through the API, as a technician's client would; returns its id.
  std::string add_note(const std::string& ticket, const std::string& text, bool internal) {
    http::ClientRequest call;
    call.method = "POST";
    call.url = tenant_.base_url + "/service/tickets/" + ticket + "/notes";
    call.headers = connectwise::auth_headers(tenant_);
    call.headers.emplace_back("Content-Type", "application/json");
    call.body = R"({"text":")" + text + R"(","internalAnalysisFlag":)" + (internal ? "true" : "false") +
                R"(,"member":{"id":7}})";
    auto r = http_.send(call);
    EXPECT_TRUE(r.ok() && r->status == 201) << (r.ok() ? r->body : r.error().message);
    simdjson::dom::parser parser;
    int64_t id = 0;
    if (r.ok()) {
      EXPECT_EQ(parser.parse(r->body)["id"].get(id), simdjson::SUCCESS);
    }
    return std::to_string(id);
  }

  // Reads the whole delta since `since`, call after call from the returned cursor.
  std::vector<Change> poll_all(const std::string& since, int* calls = nullptr) {
    std::vector<Change> changes;
    PollRequest request{.entity = "ticket_note", .since = since, .max_pages = 1};
    for (int call = 1; call <= 100; ++call) {
      auto r = cw().poll(tenant_, http_, request);
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r.ok()) break;
      for (auto& c : r->changes) changes.push_back(std::move(c));
      if (calls) *calls = call;
      if (r->complete) break;
      EXPECT_NE(r->cursor, request.cursor) << "a call made no progress";
      request.cursor = r->cursor;
    }
    return changes;
  }

  sandbox::Sandbox sandbox_;
  Tenant tenant_;
  RecordingHttp http_;
};

TEST_F(ConnectWiseNotesPollTest, EveryNoteOfTheChangedTicketsComesOnceAcrossCalls) {
  std::map<std::string, std::string> note_ticket;  // note id → ticket id
  for (int n = 0; n < 30; ++n) {
    const std::string ticket = new_ticket(n);
    if (n % 3 == 0) {
      for (int k = 0; k < 2; ++k) note_ticket[add_note(ticket, "note " + std::to_string(k), k == 1)] = ticket;
    }
  }
  int calls = 0;
  const auto changes = poll_all("2000-01-01T00:00:00Z", &calls);
  EXPECT_GT(calls, 1) << "the delta should have needed several calls";
  std::set<std::string> seen;
  for (const Change& c : changes) {
    EXPECT_EQ(c.entity, "ticket_note");
    EXPECT_TRUE(seen.insert(c.entity_id).second) << "note " << c.entity_id << " read twice";
  }
  std::set<std::string> expected;
  for (const auto& [note, ticket] : note_ticket) expected.insert(note);
  EXPECT_EQ(seen, expected);
}

TEST_F(ConnectWiseNotesPollTest, OnlyNotesChangedSinceTheWatermarkComeBackAndMapToTheirTicket) {
  const std::string ticket = new_ticket(1);
  add_note(ticket, "old", false);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the sandbox stamps seconds
  const std::string since = format_rfc3339_utc_seconds(std::chrono::system_clock::now());
  const std::string fresh = add_note(ticket, "fresh", true);
  new_ticket(2);  // changed since too, but without notes

  const auto changes = poll_all(since);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].entity_id, fresh);

  Envelope e;
  e.tenant = tenant_.id;
  e.psa = "connectwise";
  e.entity = changes[0].entity;
  e.entity_id = changes[0].entity_id;
  e.action = changes[0].action;
  e.source = "poll";
  e.received_at = since;
  e.body = changes[0].body;
  simdjson::dom::parser parser;
  auto record = cw().to_canonical(e, parser);
  ASSERT_TRUE(record.ok()) << record.error().message;
  const auto& note = std::get<canonical::TicketNote>(*record);
  ASSERT_TRUE(note.ticket.has_value());
  EXPECT_EQ(note.ticket->id, ticket);
  EXPECT_EQ(note.text, "fresh");
  EXPECT_TRUE(note.internal);
  ASSERT_TRUE(note.author.has_value());
  EXPECT_EQ(note.author->id, "7");
  EXPECT_EQ(canonical::type_name(*record), "ticket_note");
}

TEST_F(ConnectWiseNotesPollTest, ATicketDeletedMidDeltaIsSkippedNotFatal) {
  const std::string gone = new_ticket(1);
  add_note(gone, "lost with its ticket", false);
  const std::string kept = new_ticket(2);
  const std::string note = add_note(kept, "kept", false);
  // The ticket is listed as changed, then deleted before its notes are read: ConnectWise answers 404.
  sandbox::Fault deleted;
  deleted.status = 404;
  deleted.retry_after_seconds = 0;
  deleted.path = "/service/tickets/" + gone + "/notes$";
  sandbox_.inject_fault("connectwise", deleted);
  const auto changes = poll_all("2000-01-01T00:00:00Z");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].entity_id, note);
}

TEST_F(ConnectWiseNotesPollTest, AFailedNotesReadEndsTheCallWithoutMovingPastTheTicket) {
  const std::string ticket = new_ticket(1);
  const std::string note = add_note(ticket, "retried", false);
  sandbox::Fault busy;
  busy.status = 503;
  busy.path = "/service/tickets/" + ticket + "/notes$";
  sandbox_.inject_fault("connectwise", busy);
  PollRequest request{.entity = "ticket_note", .since = "2000-01-01T00:00:00Z"};
  auto failed = cw().poll(tenant_, http_, request);
  ASSERT_FALSE(failed.ok()) << "a 503 must not be read as a ticket without notes";
  const auto changes = poll_all("2000-01-01T00:00:00Z");  // the fault was used up: read again from the start
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].entity_id, note);
}

}  // namespace
}  // namespace switchyard::connectors
