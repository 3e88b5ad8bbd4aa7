// The sandbox's PSA-agnostic faults over real HTTP: status answers, timeouts and dropped
// connections, one-off or in bursts (count, duration, probability), for any PSA or all of
// them at once; and the response cutter that drops connections mid-response.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>

#include "common/http_client.h"
#include "psa-sandbox/faults.h"
#include "psa-sandbox/response_cutter.h"
#include "psa-sandbox/sandbox.h"
#include "support/eventually.h"

namespace switchyard::sandbox {
namespace {

using namespace std::chrono_literals;
using switchyard::testing::eventually;

class SandboxFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.start(); }
  void TearDown() override { sandbox_.stop(); }

  static http::Headers at_auth() {
    const AutotaskCredentials c;
    return {{"ApiIntegrationCode", c.integration_code}, {"UserName", c.username}, {"Secret", c.secret}};
  }
  static http::Headers cw_auth() {
    const ConnectWiseCredentials c;
    // Basic base64("switchyard_demo+demo-public:demo-private")
    return {{"Authorization", "Basic c3dpdGNoeWFyZF9kZW1vK2RlbW8tcHVibGljOmRlbW8tcHJpdmF0ZQ=="},
            {"clientId", c.client_id}};
  }

  Result<http::ClientResponse> at(const std::string& method, const std::string& path, std::string body = {},
                                  std::chrono::milliseconds timeout = 5000ms) {
    return client_.send({.method = method,
                         .url = sandbox_.autotask_base_url() + path,
                         .headers = at_auth(),
                         .body = std::move(body),
                         .timeout = timeout});
  }
  Result<http::ClientResponse> cw(const std::string& path) {
    return client_.send({.method = "GET", .url = sandbox_.connectwise_base_url() + path, .headers = cw_auth()});
  }
  Result<http::ClientResponse> control(const std::string& method, const std::string& path, std::string body = {}) {
    return client_.send({.method = method, .url = sandbox_.base_url() + path, .body = std::move(body)});
  }
  Result<http::ClientResponse> create_ticket(const std::string& title, std::chrono::milliseconds timeout = 5000ms) {
    return at("POST", "/V1.0/Tickets",
              R"({"companyID":100,"title":")" + title + R"(","status":1,"priority":2,"queueID":5})", timeout);
  }
  size_t tickets() const { return sandbox_.records("autotask", "Tickets").size(); }

  Sandbox sandbox_;
  http::HttpClient client_;
};

TEST_F(SandboxFaultsTest, StatusFaultForEveryPsaUsesEachPsasErrorShape) {
  sandbox_.inject_fault("*", Fault{.status = 500, .retry_after_seconds = 0, .count = 2});
  auto a = at("GET", "/V1.0/Tickets/1000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 500);
  EXPECT_NE(a->body.find("\"errors\""), std::string::npos) << a->body;
  EXPECT_EQ(a->header("Retry-After"), "");
  EXPECT_EQ(a->header("X-Sandbox-Fault"), "status");
  auto c = cw("/service/tickets/1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, 500);
  EXPECT_NE(c->body.find("\"code\":\"InternalServerError\""), std::string::npos) << c->body;
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 200);
  EXPECT_EQ(cw("/service/tickets/1")->status, 200);
  EXPECT_EQ(sandbox_.applied_faults(),
            (std::map<std::string, int64_t>{{"autotask/status", 1}, {"connectwise/status", 1}}));
}

TEST_F(SandboxFaultsTest, APsasOwnRuleComesBeforeTheRuleForEveryPsa) {
  sandbox_.inject_fault("*", Fault{.status = 500, .count = 1});
  sandbox_.inject_fault("autotask", Fault{.status = 429, .retry_after_seconds = 3, .count = 1});
  auto first = at("GET", "/V1.0/Tickets/1000");
  EXPECT_EQ(first->status, 429);
  EXPECT_EQ(first->header("Retry-After"), "3");
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 500);
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 200);
}

TEST_F(SandboxFaultsTest, AStatusFaultCanHaveABareBody) {
  sandbox_.inject_fault("autotask", Fault{.status = 500, .retry_after_seconds = 0, .count = 1, .body = ""});
  auto r = at("GET", "/V1.0/Tickets/1000");
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "");
}

TEST_F(SandboxFaultsTest, ABurstForADurationFaultsEveryRequestUntilItEnds) {
  sandbox_.inject_fault("autotask", Fault{.status = 503, .count = 0, .duration = 400ms});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 503);
  EXPECT_TRUE(eventually([&] { return at("GET", "/V1.0/Tickets/1000")->status == 200; }, 5000ms));
  EXPECT_TRUE(sandbox_.pending_faults().empty());
}

TEST_F(SandboxFaultsTest, ABurstWithAProbabilityFaultsSomeRequestsAndConsumesOnlyThose) {
  sandbox_.inject_fault("autotask", Fault{.status = 500, .count = 20, .probability = 0.5, .seed = 42});
  int faulted = 0;
  for (int i = 0; i < 200 && faulted < 20; ++i) faulted += at("GET", "/V1.0/Tickets/1000")->status == 500;
  EXPECT_EQ(faulted, 20);
  EXPECT_EQ(sandbox_.applied_faults().at("autotask/status"), 20);
  EXPECT_TRUE(sandbox_.pending_faults().empty());

  sandbox_.inject_fault("autotask", Fault{.status = 500, .count = 0, .duration = 60s, .probability = 0.25, .seed = 7});
  faulted = 0;
  for (int i = 0; i < 200; ++i) faulted += at("GET", "/V1.0/Tickets/1000")->status == 500;
  EXPECT_GT(faulted, 20);
  EXPECT_LT(faulted, 90);
  sandbox_.clear_faults();
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 200);
}

TEST_F(SandboxFaultsTest, AProcessedTimeoutStoresTheRecordButAnswersAfterTheClientGaveUp) {
  const size_t before = tickets();
  sandbox_.inject_fault("autotask", Fault{.count = 1, .kind = FaultKind::timeout, .hold = 1500ms});
  const auto start = std::chrono::steady_clock::now();
  auto r = create_ticket("late answer", 300ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1400ms);
  EXPECT_EQ(tickets(), before + 1);
  // The write is recorded when the held answer goes out.
  EXPECT_TRUE(eventually([&] { return !sandbox_.writes().empty(); }, 5000ms));
  EXPECT_EQ(sandbox_.writes().back().fault, "timeout");
  EXPECT_EQ(sandbox_.writes().back().status, 200);
  auto next = create_ticket("on time");
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->status, 200);
}

TEST_F(SandboxFaultsTest, AnUnprocessedTimeoutStoresNothingAndAnswers504AfterTheHold) {
  const size_t before = tickets();
  sandbox_.inject_fault("autotask", Fault{.count = 1, .kind = FaultKind::timeout, .hold = 300ms, .process = false});
  const auto start = std::chrono::steady_clock::now();
  auto r = create_ticket("never stored");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 504);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(tickets(), before);
}

TEST_F(SandboxFaultsTest, ADropCutsTheAnswerAfterTheRecordWasStored) {
  for (const DropCut cut : {DropCut::body, DropCut::headers, DropCut::before}) {
    const size_t before = tickets();
    sandbox_.inject_fault("autotask", Fault{.count = 1, .kind = FaultKind::drop, .cut = cut});
    // A fresh connection: on a reused one, HttpClient resends a request that got no byte back.
    http::HttpClient fresh;
    auto r = fresh.send({.method = "POST",
                         .url = sandbox_.autotask_base_url() + "/V1.0/Tickets",
                         .headers = at_auth(),
                         .body = R"({"companyID":100,"title":"answer lost","status":1,"priority":2,"queueID":5})"});
    EXPECT_FALSE(r.ok()) << "cut=" << cut_name(cut) << " still answered " << r->status;
    EXPECT_EQ(tickets(), before + 1);
    EXPECT_EQ(sandbox_.writes().back().fault, "drop");
    // The client reconnects and the sandbox serves it normally.
    auto next = at("GET", "/V1.0/Tickets/1000");
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->status, 200);
  }
  EXPECT_EQ(sandbox_.applied_faults().at("autotask/drop"), 3);
}

TEST_F(SandboxFaultsTest, AnUnprocessedDropStoresNothing) {
  const size_t before = tickets();
  sandbox_.inject_fault("connectwise", Fault{.count = 1, .kind = FaultKind::drop, .process = false});
  sandbox_.inject_fault("autotask", Fault{.count = 1, .kind = FaultKind::drop, .process = false});
  EXPECT_FALSE(cw("/service/tickets/1").ok());
  EXPECT_FALSE(create_ticket("dropped before processing").ok());
  EXPECT_EQ(tickets(), before);
}

TEST_F(SandboxFaultsTest, ARuleCanBeLimitedToAMethodAndAPath) {
  // Only creates: queries and reads pass untouched and use up nothing.
  sandbox_.inject_fault("autotask", Fault{.status = 503, .count = 1, .method = "POST", .path = "/v1\\.0/tickets$"});
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 200);
  EXPECT_EQ(at("POST", "/V1.0/Tickets/query", R"({"filter":[{"op":"gte","field":"id","value":0}]})")->status, 200);
  EXPECT_EQ(create_ticket("refused")->status, 503);
  EXPECT_EQ(create_ticket("accepted")->status, 200);

  auto r = control("POST", "/_sandbox/faults/autotask", R"({"status":500,"path":"(unclosed"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("path"), std::string::npos) << r->body;
}

TEST_F(SandboxFaultsTest, ZoneLookupsAreNeverFaulted) {
  sandbox_.inject_fault("*", Fault{.status = 500, .count = 0, .duration = 60s});
  auto zone = client_.send({.url = sandbox_.base_url() + "/autotask/atservicesrest/v1.0/zoneInformation?user=" +
                                   http::url_encode(AutotaskCredentials{}.username)});
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->status, 200);
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 500);
}

TEST_F(SandboxFaultsTest, ControlEndpointsInjectListAndClearFaults) {
  auto r = control("POST", "/_sandbox/faults/*",
                   R"({"kind":"drop","count":2,"cut":"headers","probability":1,"process":false})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  r = control("POST", "/_sandbox/faults/autotask", R"({"kind":"timeout","duration_ms":60000,"hold_ms":20000})");
  EXPECT_EQ(r->status, 200) << r->body;
  r = control("GET", "/_sandbox/faults");
  ASSERT_TRUE(r.ok());
  simdjson::dom::parser parser;
  auto listed = parser.parse(r->body);
  ASSERT_EQ(listed["pending"].get_array().size(), 2u) << r->body;
  EXPECT_EQ(std::string_view(listed["pending"].at(0)["psa"].get_string().value()), "*");
  EXPECT_EQ(std::string_view(listed["pending"].at(0)["cut"].get_string().value()), "headers");
  EXPECT_EQ(std::string_view(listed["pending"].at(1)["kind"].get_string().value()), "timeout");
  EXPECT_EQ(listed["pending"].at(1)["count"].get_int64().value(), 0);  // a duration alone: no count limit

  EXPECT_EQ(control("DELETE", "/_sandbox/faults")->status, 200);
  EXPECT_EQ(at("GET", "/V1.0/Tickets/1000")->status, 200);

  r = control("POST", "/_sandbox/faults/autotask", R"({"kind":"explode"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("invalid_fault"), std::string::npos);
  r = control("POST", "/_sandbox/faults/autotask", R"({"probability":0})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("probability"), std::string::npos) << r->body;
  r = control("POST", "/_sandbox/faults/nopsa", R"({"status":500})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("unknown_psa"), std::string::npos);
}

TEST(ResponseCutterTest, PassesResponsesThroughAndCutsOnlyTheMarkedOne) {
  const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::string empty = "HTTP/1.1 204 No Content\r\n\r\n";
  const std::string marked =
      "HTTP/1.1 201 Created\r\nX-Sandbox-Fault: drop; cut=body\r\nContent-Length: 10\r\n\r\n0123456789";
  const std::string stream = first + interim + empty + marked;
  // Byte by byte, so every boundary falls inside a header or a body once.
  ResponseCutter cutter;
  std::string out;
  bool cut = false;
  for (const char c : stream) {
    cut = cutter.feed(std::string_view(&c, 1), out);
    if (cut) break;
  }
  EXPECT_TRUE(cut);
  const size_t marked_head = marked.find("\r\n\r\n") + 4;
  EXPECT_EQ(out, first + interim + empty + marked.substr(0, marked_head + 5));
}

TEST(ResponseCutterTest, CutsInsideTheHeadersOrBeforeTheResponse) {
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  const std::string headers = "HTTP/1.1 200 OK\r\nX-Sandbox-Fault: drop; cut=headers\r\nContent-Length: 2\r\n\r\nok";
  ResponseCutter a;
  std::string out;
  EXPECT_TRUE(a.feed(ok + headers, out));
  EXPECT_EQ(out, ok + headers.substr(0, (headers.size() - 2) / 2));

  ResponseCutter b;
  out.clear();
  EXPECT_TRUE(b.feed("HTTP/1.1 200 OK\r\nX-Sandbox-Fault: drop; cut=before\r\nContent-Length: 0\r\n\r\n", out));
  EXPECT_EQ(out, "");
}

TEST(ResponseCutterTest, UnknownFramingIsPassedThroughUntouched) {
  ResponseCutter cutter;
  std::string out;
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  EXPECT_FALSE(cutter.feed(chunked, out));
  EXPECT_FALSE(cutter.feed("X-Sandbox-Fault: drop\r\n\r\n", out));
  EXPECT_EQ(out, chunked + "X-Sandbox-Fault: drop\r\n\r\n");
}

}  // namespace
}  // namespace switchyard::sandbox
