// GET /v1/tenants/{tenant}/psa/{list} through ingest (in-process, over HTTP) against redis-server,
// the embedded Kafka and the PSA sandbox: a list comes from the PSA once and from the shared
// cache after (the sandbox counts one request), filters are validated, the token must cover the
// tenant and scope "read", an unknown list names the known ones, a list the PSA keeps per board
// asks for one, and a PSA's 429 is answered 429 with Retry-After.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/http_client.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

StackOptions ingest_only() {
  StackOptions o;
  o.normalize = false;
  o.dispatch = false;
  return o;
}

class LookupRouteTest : public ::testing::Test {
 protected:
  http::ClientResponse get(const std::string& path, std::string_view token = kAcmeReadToken) {
    http::Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = client_.send({.method = "GET", .url = stack_.ingest_api_url() + path, .headers = headers});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : http::ClientResponse{};
  }
  int64_t psa_requests() { return stack_.psa().tenant_counts()["default"].requests; }
  std::string error_code(const http::ClientResponse& r) {
    simdjson::dom::parser p;
    std::string_view code;
    return p.parse(r.body)["error"]["code"].get(code) == simdjson::SUCCESS ? std::string(code) : "";
  }
  double metric(const std::string& series) {
    auto r = client_.send({.method = "GET", .url = stack_.ingest_operator_url() + "/metrics"});
    return r.ok() ? metric_value(r->body, series) : -1;
  }

  PipelineStack stack_{ingest_only()};
  http::HttpClient client_;
};

TEST_F(LookupRouteTest, AListIsReadOnceThenServedFromTheCache) {
  const int64_t before = psa_requests();
  const auto first = get("/v1/tenants/acme/psa/boards");
  ASSERT_EQ(first.status, 200) << first.body;
  simdjson::dom::parser p;
  auto doc = p.parse(first.body);
  EXPECT_EQ(doc["tenant"].get_string().value(), "acme");
  EXPECT_EQ(doc["list"].get_string().value(), "boards");
  EXPECT_FALSE(doc["cached"].get_bool().value());
  EXPECT_FALSE(doc["truncated"].get_bool().value());
  ASSERT_EQ(doc["items"].get_array().size(), 2u);
  EXPECT_EQ(doc["items"].at(0)["id"].get_string().value(), "1");
  EXPECT_EQ(doc["items"].at(0)["name"].get_string().value(), "Service Board");
  EXPECT_TRUE(doc["items"].at(0)["active"].get_bool().value());
  const std::string fetched_at(doc["fetched_at"].get_string().value());
  EXPECT_EQ(psa_requests(), before + 1);

  const auto second = get("/v1/tenants/acme/psa/boards");
  ASSERT_EQ(second.status, 200) << second.body;
  simdjson::dom::parser p2;
  auto again = p2.parse(second.body);
  EXPECT_TRUE(again["cached"].get_bool().value());
  EXPECT_EQ(again["fetched_at"].get_string().value(), fetched_at);
  EXPECT_EQ(again["items"].get_array().size(), 2u);
  EXPECT_EQ(psa_requests(), before + 1);  // the PSA was not called again
  EXPECT_EQ(metric(R"(switchyard_lookup_requests_total{list="boards",outcome="cached"})"), 1);
  EXPECT_EQ(metric(R"(switchyard_lookup_requests_total{list="boards",outcome="fetched"})"), 1);

  // A filter is its own cache entry; Autotask's "queues" are its boards.
  const auto types = get("/v1/tenants/acme/psa/ticket_types?board=2");
  ASSERT_EQ(types.status, 200) << types.body;
  EXPECT_NE(types.body.find("Monitoring Alert"), std::string::npos);
  const auto queues = get("/v1/tenants/globex/psa/queues", kReadOnlyToken);
  ASSERT_EQ(queues.status, 200) << queues.body;
  EXPECT_NE(queues.body.find(R"("list":"queues")"), std::string::npos);
  EXPECT_NE(queues.body.find(R"({"id":"29682833","name":"Monitoring Alert","active":true})"), std::string::npos);
}

TEST_F(LookupRouteTest, TokensMustCoverTheTenantAndRead) {
  EXPECT_EQ(get("/v1/tenants/acme/psa/boards", "").status, 401);
  EXPECT_EQ(get("/v1/tenants/acme/psa/boards", "not-a-token-0123456789abcdef").status, 401);
  EXPECT_EQ(get("/v1/tenants/globex/psa/boards", kAcmeReadToken).status, 403);  // another tenant's token
  EXPECT_EQ(get("/v1/tenants/acme/psa/boards", kApiToken).status, 403);         // commands only
  EXPECT_EQ(get("/v1/tenants/nobody/psa/boards", kReadOnlyToken).status, 404);
}

TEST_F(LookupRouteTest, BadRequestsAreRefusedBeforeThePsaIsCalled) {
  const int64_t before = psa_requests();
  const auto unknown = get("/v1/tenants/acme/psa/teams");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_code(unknown), "unknown_list");
  EXPECT_NE(unknown.body.find("boards, queues, statuses"), std::string::npos) << unknown.body;
  const auto bad_id = get("/v1/tenants/acme/psa/agreements?company=1%20or%201%3D1");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(error_code(bad_id), "invalid_argument");
  EXPECT_EQ(get("/v1/tenants/acme/psa/agreements?company=" + std::string(65, '7')).status, 400);
  const auto no_board = get("/v1/tenants/acme/psa/statuses");
  EXPECT_EQ(no_board.status, 400);
  EXPECT_EQ(error_code(no_board), "board_required");
  EXPECT_EQ(psa_requests(), before);
}

TEST_F(LookupRouteTest, APsa429IsAnsweredRateLimitedWithRetryAfter) {
  stack_.psa().inject_fault("connectwise", {.status = 429, .retry_after_seconds = 3, .count = 1});
  const auto throttled = get("/v1/tenants/acme/psa/priorities");
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_EQ(error_code(throttled), "psa_throttled");
  EXPECT_FALSE(throttled.header("Retry-After").empty());
  EXPECT_GE(std::stoi(std::string(throttled.header("Retry-After"))), 1);
  EXPECT_EQ(metric(R"(switchyard_lookup_requests_total{list="priorities",outcome="throttled"})"), 1);
}

TEST_F(LookupRouteTest, AgreementsOfACompany) {
  const auto r = get("/v1/tenants/acme/psa/contracts?company=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("name":"Acme Managed Services","active":true)"), std::string::npos) << r.body;
  const auto none = get("/v1/tenants/acme/psa/agreements?company=2");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_NE(none.body.find(R"("items":[])"), std::string::npos) << none.body;
}

}  // namespace
}  // namespace switchyard::testing
