// ingest's admin routes and the audit trail (ingest/audited_route.h): who is recorded (the
// token's id, never the token), when (only with a known token), the outcome from the status, and
// that a successful answer waits for its record and becomes 503 when the record is lost.
#include <gtest/gtest.h>

#include "common/api_tokens.h"
#include "ingest/audited_route.h"

namespace switchyard::ingest {
namespace {

constexpr std::string_view kOpsToken = "ops-token-0123456789abcdefghij";

class RecordingAudit : public AuditTrail {
 public:
  void record(AuditRecord record) override { records.push_back(std::move(record)); }
  void record_then(AuditRecord record, std::function<void(bool)> written) override {
    records.push_back(std::move(record));
    written(writes);
  }
  std::vector<AuditRecord> records;
  bool writes = true;
};

class AuditedRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = parse_api_tokens(R"({"tokens":[{"id":"ops","token":")" + std::string(kOpsToken) +
                                       R"(","tenants":["*"],"scopes":["admin"]}]})",
                                   Env([](std::string_view) -> std::optional<std::string> { return std::nullopt; }));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    tokens_ = std::move(*parsed);
  }
  http::Response call(int status, std::string_view authorization) {
    http::Handler handler = audited(audit_, tokens_, "sync", [status](http::Request&&, http::Responder respond) {
      respond(http::json_response(status, "{}"));
    });
    http::Request request;
    request.method = "POST";
    request.params["tenant"] = "acme";
    if (!authorization.empty()) request.headers.emplace_back("Authorization", std::string(authorization));
    http::Response answer;
    handler(std::move(request), [&](http::Response r) { answer = std::move(r); });
    return answer;
  }
  RecordingAudit audit_;
  ApiTokens tokens_;
};

TEST_F(AuditedRouteTest, RecordsTheTokensIdTheTenantAndTheOutcome) {
  EXPECT_EQ(call(202, "Bearer " + std::string(kOpsToken)).status, 202);
  EXPECT_EQ(call(409, "Bearer " + std::string(kOpsToken)).status, 409);
  EXPECT_EQ(call(503, "Bearer " + std::string(kOpsToken)).status, 503);
  ASSERT_EQ(audit_.records.size(), 3u);
  EXPECT_EQ(audit_.records[0].actor, "token:ops");
  EXPECT_EQ(audit_.records[0].action, "sync");
  EXPECT_EQ(audit_.records[0].tenant, "acme");
  EXPECT_EQ(audit_.records[0].outcome, "ok");
  EXPECT_EQ(audit_.records[0].details_json, R"({"method":"POST","status":202})");
  EXPECT_EQ(audit_.records[1].outcome, "refused");
  EXPECT_EQ(audit_.records[2].outcome, "failed");
  for (const auto& r : audit_.records) {
    EXPECT_EQ(r.actor.find(kOpsToken), std::string::npos);
    EXPECT_EQ(r.details_json.find(kOpsToken), std::string::npos);
  }
}

TEST_F(AuditedRouteTest, RequestsWithoutAKnownTokenAreNotRecorded) {
  EXPECT_EQ(call(401, "").status, 401);
  EXPECT_EQ(call(401, "Bearer not-a-known-token-at-all-0000").status, 401);
  EXPECT_TRUE(audit_.records.empty());
}

TEST_F(AuditedRouteTest, ASuccessWhoseRecordIsLostIsAnswered503AndARefusalAsItIs) {
  audit_.writes = false;
  const auto lost = call(202, "Bearer " + std::string(kOpsToken));
  EXPECT_EQ(lost.status, 503);
  EXPECT_NE(lost.body.find("audit_unavailable"), std::string::npos) << lost.body;
  EXPECT_EQ(call(404, "Bearer " + std::string(kOpsToken)).status, 404);
  EXPECT_EQ(audit_outcome(200), "ok");
  EXPECT_EQ(audit_outcome(302), "ok");
  EXPECT_EQ(audit_outcome(400), "refused");
  EXPECT_EQ(audit_outcome(502), "failed");
}

}  // namespace
}  // namespace switchyard::ingest
