// Polling cursors of both connectors, against scripted PSA answers: what each page asks for,
// where a delta resumes, and when it is complete. (The same behaviour against the sandbox, with
// ids and change times in opposite orders, is in tests/integration/ingest_poller_test.cpp.)
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "common/envelope.h"
#include "common/http_types.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "support/fake_psa_http.h"

namespace switchyard::connectors {
namespace {

using testing::FakePsaHttp;

Tenant cw_tenant() {
  Tenant t;
  t.id = "acme";
  t.psa = "connectwise";
  t.base_url = "https://cw.example/v4_6_release/apis/3.0";
  t.credentials = {{"company_id", "acme"}, {"public_key", "pub"}, {"private_key", "priv"}, {"client_id", "cid"}};
  return t;
}

Tenant at_tenant() {
  Tenant t;
  t.id = "globex";
  t.psa = "autotask";
  t.base_url = "https://at.example/ATServicesRest";
  t.credentials = {{"username", "u@example.com"}, {"secret", "s"}, {"integration_code", "code"}};
  return t;
}

std::string cw_ticket(int id, const std::string& updated) {
  return R"({"id":)" + std::to_string(id) + R"(,"summary":"t","_info":{"lastUpdated":")" + updated + R"("}})";
}

std::string at_page(const std::string& items, const std::string& next) {
  return R"({"items":[)" + items + R"(],"pageDetails":{"count":1,"requestCount":2,"prevPageUrl":null,"nextPageUrl":)" +
         (next.empty() ? "null" : "\"" + next + "\"") + "}}";
}

std::string at_ticket(int id, const std::string& activity) {
  return R"({"id":)" + std::to_string(id) + R"(,"title":"t","lastActivityDate":")" + activity + R"("})";
}

std::string query_of(const std::string& url) { return http::url_decode(url); }

// ---- ConnectWise --------------------------------------------------------------------------------

TEST(ConnectWisePollCursor, SortsByChangeTimeAndPagesByKeysetNotPageNumber) {
  connectwise::ConnectWiseConnector cw;
  FakePsaHttp psa;
  // Two full pages of two, then a short one. Ids deliberately out of change-time order.
  psa.reply(200, "[" + cw_ticket(9, "2026-11-25T10:00:00Z") + "," + cw_ticket(3, "2026-11-25T10:00:01Z") + "]");
  psa.reply(200, "[" + cw_ticket(2, "2026-11-25T10:00:01Z") + "," + cw_ticket(7, "2026-11-25T10:00:05Z") + "]");
  psa.reply(200, "[" + cw_ticket(1, "2026-11-25T10:00:09Z") + "]");
  auto r = cw.poll(cw_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z", "", 50, 2});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->pages, 3);
  ASSERT_EQ(r->changes.size(), 5u);
  EXPECT_EQ(r->cursor, "2026-11-25T10:00:09Z|1");
  EXPECT_EQ(r->high_watermark, "2026-11-25T10:00:09Z");
  ASSERT_EQ(psa.requests.size(), 3u);
  const std::string first = query_of(psa.requests[0].url);
  EXPECT_NE(first.find("orderBy=_info/lastUpdated asc, id asc"), std::string::npos) << first;
  EXPECT_NE(first.find("conditions=lastUpdated >= [2026-11-25T09:00:00Z]"), std::string::npos) << first;
  EXPECT_NE(first.find("page=1&pageSize=2"), std::string::npos) << first;
  // Every page is page 1 of "after the last record read".
  const std::string second = query_of(psa.requests[1].url);
  EXPECT_NE(second.find("page=1&"), std::string::npos) << second;
  EXPECT_NE(second.find("lastUpdated > [2026-11-25T10:00:01Z] or (lastUpdated >= [2026-11-25T10:00:01Z] and id > 3)"),
            std::string::npos)
      << second;
  const std::string third = query_of(psa.requests[2].url);
  EXPECT_NE(third.find("lastUpdated > [2026-11-25T10:00:05Z] or (lastUpdated >= [2026-11-25T10:00:05Z] and id > 7)"),
            std::string::npos)
      << third;
}

TEST(ConnectWisePollCursor, StopsAtMaxPagesAndResumesFromTheCursor) {
  connectwise::ConnectWiseConnector cw;
  FakePsaHttp psa;
  psa.reply(200, "[" + cw_ticket(5, "2026-11-25T10:00:00Z") + "," + cw_ticket(4, "2026-11-25T10:00:02Z") + "]");
  auto first = cw.poll(cw_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z", "", 1, 2});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->complete) << "a full last page means more may follow";
  EXPECT_EQ(first->cursor, "2026-11-25T10:00:02Z|4");

  psa.reply(200, "[]");
  auto second = cw.poll(cw_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z", first->cursor, 1, 2});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->complete);
  EXPECT_TRUE(second->changes.empty());
  EXPECT_EQ(second->cursor, first->cursor) << "an empty page keeps the cursor";
  const std::string q = query_of(psa.requests[1].url);
  EXPECT_NE(q.find("lastUpdated > [2026-11-25T10:00:02Z] or (lastUpdated >= [2026-11-25T10:00:02Z] and id > 4)"),
            std::string::npos)
      << q;
}

TEST(ConnectWisePollCursor, BackfillHasNoConditionAndABadCursorIsRefused) {
  connectwise::ConnectWiseConnector cw;
  FakePsaHttp psa;
  psa.reply(200, "[]");
  auto r = cw.poll(cw_tenant(), psa, PollRequest{"company", "", "", 1, 0});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->complete);
  const std::string q = query_of(psa.requests[0].url);
  EXPECT_EQ(q.find("conditions="), std::string::npos) << q;
  EXPECT_NE(q.find("pageSize=200"), std::string::npos) << q;

  auto bad = cw.poll(cw_tenant(), psa, PollRequest{"ticket", "", "2026-11-25T10:00:00Z|1 or 1=1", 1, 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_cursor");
  EXPECT_EQ(psa.requests.size(), 1u) << "nothing is sent for a bad cursor";
}

TEST(ConnectWisePollCursor, AThrottledPageEndsTheCallWithTheError) {
  connectwise::ConnectWiseConnector cw;
  FakePsaHttp psa;
  psa.responses.push_back(make_error("throttled", "tenant throttled (psa_throttled) for 1000 ms"));
  auto r = cw.poll(cw_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "throttled") << "the engine must see the limiter's code to reschedule, not fail";
}

// ---- Autotask -----------------------------------------------------------------------------------

TEST(AutotaskPollCursor, ResumesWithIdAfterTheCursorAndCompletesWithoutNextPage) {
  autotask::AutotaskConnector at;
  FakePsaHttp psa;
  const std::string next = "https://at.example/ATServicesRest/V1.0/Tickets/query?search=next";
  psa.reply(200, at_page(at_ticket(11, "2026-11-25T10:00:09.000Z") + "," + at_ticket(12, "2026-11-25T09:30:00.000Z"),
                         next));
  auto first = at.poll(at_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z", "", 1, 2});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->complete) << "nextPageUrl was set: the delta goes on";
  EXPECT_EQ(first->cursor, "12");
  const std::string body = psa.requests[0].body;
  EXPECT_NE(body.find(R"("MaxRecords":2)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"({"op":"gte","field":"lastActivityDate","value":"2026-11-25T09:00:00Z"})"), std::string::npos)
      << body;

  psa.reply(200, at_page(at_ticket(30, "2026-11-25T09:10:00.000Z"), ""));
  auto second = at.poll(at_tenant(), psa, PollRequest{"ticket", "2026-11-25T09:00:00Z", first->cursor, 1, 2});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->complete);
  EXPECT_EQ(second->cursor, "30");
  ASSERT_EQ(psa.requests.size(), 2u);
  EXPECT_EQ(psa.requests[1].method, "POST") << "a resumed delta is a new query, not a stored URL";
  const std::string resumed = psa.requests[1].body;
  EXPECT_NE(resumed.find(R"({"op":"gte","field":"lastActivityDate","value":"2026-11-25T09:00:00Z"})"),
            std::string::npos)
      << resumed;
  EXPECT_NE(resumed.find(R"({"op":"gt","field":"id","value":12})"), std::string::npos) << resumed;
}

TEST(AutotaskPollCursor, FollowsNextPageUrlWithinOneCallAndBackfillsById) {
  autotask::AutotaskConnector at;
  FakePsaHttp psa;
  const std::string next = "https://at.example/ATServicesRest/V1.0/Companies/query?search=p2";
  psa.reply(200, at_page(at_ticket(1, "2026-11-25T10:00:00.000Z"), next));
  psa.reply(200, at_page(at_ticket(2, "2026-11-20T10:00:00.000Z"), ""));
  auto r = at.poll(at_tenant(), psa, PollRequest{"company", "", "", 5, 1});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->pages, 2);
  EXPECT_EQ(r->changes.size(), 2u);
  ASSERT_EQ(psa.requests.size(), 2u);
  EXPECT_EQ(psa.requests[0].body.find("lastActivityDate"), std::string::npos) << "a backfill reads every record";
  EXPECT_NE(psa.requests[0].body.find(R"({"op":"gte","field":"id","value":0})"), std::string::npos);
  EXPECT_EQ(psa.requests[1].method, "GET");
  EXPECT_EQ(psa.requests[1].url, next) << "nextPageUrl is followed verbatim";

  auto bad = at.poll(at_tenant(), psa, PollRequest{"ticket", "", "12,13", 1, 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_cursor");
}

// ---- backfill envelopes --------------------------------------------------------------------------

TEST(BackfillEnvelope, IsAValidEnvelopeAndMapsLikeAPolledRecord) {
  Envelope e;
  e.tenant = "acme";
  e.psa = "connectwise";
  e.entity = "ticket";
  e.entity_id = "9";
  e.action = "updated";
  e.source = "backfill";
  e.received_at = "2026-11-25T10:00:02.000Z";
  e.idempotency_key = std::string(64, 'a');
  e.body = cw_ticket(9, "2026-11-25T10:00:00Z");
  auto parsed = envelope_from_json(to_json(e));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(is_polled(*parsed));
  e.source = "replay";
  EXPECT_FALSE(envelope_from_json(to_json(e)).ok()) << "only webhook, poll and backfill are sources";

  connectwise::ConnectWiseConnector cw;
  simdjson::dom::parser parser;
  auto record = cw.to_canonical(*parsed, parser);
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(canonical::base_of(*record).source.id, "9");
}

}  // namespace
}  // namespace switchyard::connectors
