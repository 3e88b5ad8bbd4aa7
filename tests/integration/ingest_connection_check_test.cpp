// POST /v1/tenants/{tenant}/connection-test (ConnectionTestHandler) over a real redis-server and
// the sandbox's OAuth2 token endpoint: the token is checked like the other API routes, a PSA
// without a test answers 501, a token PSA's credentials are checked with a fresh token, refused
// credentials suspend the tenant, and a test that passes after the partner fixed them resumes it;
// a warning of more access than needed is answered, recorded and counted without failing.
#include <gtest/gtest.h>

#include <future>

#include "common/activity_log.h"
#include "common/env.h"
#include "connectors/auth/oauth_client_credentials.h"
#include "connectors/auth/token_provider.h"
#include "ingest/connection_test_handler.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/token_echo/token_echo.h"
#include "support/activity_reader.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/redis_server.h"

namespace switchyard::ingest {
namespace {

namespace echo = sandbox::token_echo;
constexpr std::string_view kAdminToken = "admin-token-0123456789abcdef";
constexpr std::string_view kSyncToken = "sync-token-0123456789abcdef00";
constexpr std::string_view kOtherTenantToken = "other-admin-0123456789abcdef";

// A connector with the minimum a connection test needs: a name, and (optionally) tokens.
class TestConnector : public connectors::Connector {
 public:
  TestConnector(std::string name, std::unique_ptr<connectors::auth::TokenSource> source)
      : name_(std::move(name)), source_(std::move(source)) {}
  std::string_view name() const override { return name_; }
  std::string_view display_name() const override {
    return name_ == "static-echo" ? std::string_view("Static Echo PSA") : std::string_view(name_);
  }
  const ConnectorSpec& spec() const override { return spec_; }
  Status verify_webhook(const Tenant&, const connectors::WebhookRequest&) const override { return ok_status(); }
  Result<std::vector<connectors::Change>> decode_webhook(const Tenant&, std::string_view) const override {
    return std::vector<connectors::Change>{};
  }
  Result<connectors::PollResult> poll(const Tenant&, connectors::PsaHttp&, const connectors::PollRequest&) const override {
    return connectors::PollResult{};
  }
  connectors::WriteOutcome execute(const Tenant&, const Command&, connectors::PsaHttp&,
                                   connectors::WriteMemo&) const override {
    return connectors::WriteOutcome::rejected("not here");
  }
  const connectors::auth::TokenSource* token_source() const override { return source_.get(); }
  // "warned-echo" has a test of its own that passes with a warning of more access than needed.
  Result<connectors::ConnectionReport> test_connection(const Tenant& tenant, connectors::PsaHttp& http) const override {
    if (name_ != "warned-echo") return Connector::test_connection(tenant, http);
    connectors::ConnectionReport report;
    report.ok = true;
    report.checks.push_back({"credentials", true, "accepted"});
    report.warnings.push_back({std::string(connectors::kPrivilegeAdmin), "the API user is an administrator"});
    return report;
  }

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope&, simdjson::dom::parser&,
                                             const MappingLookup&) const override {
    return make_error("not_here", "not here");
  }

 private:
  std::string name_;
  std::unique_ptr<connectors::auth::TokenSource> source_;
  ConnectorSpec spec_;
};

std::unique_ptr<connectors::auth::TokenSource> oauth_source() {
  connectors::auth::OAuthClientCredentialsSettings s;
  s.token_url = [](const Tenant& t) { return t.base_url.substr(0, t.base_url.rfind("/api")) + "/auth/token"; };
  s.advice = "check credentials.client_id and credentials.client_secret under Configuration > Integrations";
  return std::make_unique<connectors::auth::OAuthClientCredentials>(std::move(s));
}

class ConnectionCheckTest : public ::testing::Test {
 protected:
  ConnectionCheckTest() {
    sandbox_.start();
    registry_.add(std::make_unique<TestConnector>("oauth-echo", oauth_source()));
    registry_.add(std::make_unique<TestConnector>("static-echo", nullptr));
    registry_.add(std::make_unique<TestConnector>("warned-echo", nullptr));
    TenantDirectory dir;
    Tenant token_tenant;
    token_tenant.id = "halo1";
    token_tenant.psa = "oauth-echo";
    token_tenant.base_url = sandbox_.psa_base_url("oauth-echo");
    token_tenant.credentials = {{"client_id", std::string(echo::kClientId)},
                                {"client_secret", std::string(echo::kClientSecret)}};
    EXPECT_TRUE(dir.add(token_tenant, "t"));
    Tenant static_tenant = token_tenant;
    static_tenant.id = "static1";
    static_tenant.psa = "static-echo";
    EXPECT_TRUE(dir.add(static_tenant, "t"));
    Tenant warned_tenant = static_tenant;
    warned_tenant.id = "warned1";
    warned_tenant.psa = "warned-echo";
    EXPECT_TRUE(dir.add(warned_tenant, "t"));
    tenants_ = std::make_unique<LiveTenants>(std::move(dir));
    auto tokens = parse_api_tokens(R"({"tokens": [
        {"id": "ops", "token": ")" + std::string(kAdminToken) + R"(", "tenants": ["*"], "scopes": ["admin"]},
        {"id": "syncer", "token": ")" + std::string(kSyncToken) + R"(", "tenants": ["*"], "scopes": ["sync"]},
        {"id": "other", "token": ")" + std::string(kOtherTenantToken) + R"(", "tenants": ["static1"], "scopes": ["admin"]}]})",
                                   Env());
    EXPECT_TRUE(tokens.ok()) << tokens.error().message;
    api_tokens_ = std::move(*tokens);
  }
  ~ConnectionCheckTest() override { sandbox_.stop(); }

  // The worker first: it outlives the handler's calls, as in IngestService.
  std::unique_ptr<ConnectionTestHandler> handler(PsaCallWorkerOptions options = {}) {
    worker_ = std::make_unique<PsaCallWorker>(redis_.settings(), metrics_, options);
    return std::make_unique<ConnectionTestHandler>(*tenants_, registry_, *worker_, metrics_, ingest_metrics_,
                                                   api_tokens_, activity_, *producer_);
  }

  // The tenant's recent activity in Redis (common/activity_log.h), newest first.
  std::vector<ActivityRecord> activity(const std::string& tenant) {
    RedisClient redis(redis_.settings());
    return testing::recent_activity(redis, tenant);
  }

  http::Response post(ConnectionTestHandler& h, const std::string& tenant, std::string_view token = kAdminToken) {
    http::Request r;
    r.method = "POST";
    r.params["tenant"] = tenant;
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(token));
    std::promise<http::Response> answer;
    h.handle(std::move(r), [&answer](http::Response response) { answer.set_value(std::move(response)); });
    return answer.get_future().get();
  }

  bool suspended() {
    RedisClient redis(redis_.settings());
    connectors::auth::TokenProvider provider(redis);
    return provider.suspended(*tenants_->find("halo1")).has_value();
  }

  testing::RedisServer redis_;
  sandbox::Sandbox sandbox_;
  connectors::ConnectorRegistry registry_;
  std::unique_ptr<LiveTenants> tenants_;
  ApiTokens api_tokens_;
  Metrics metrics_;
  IngestMetrics ingest_metrics_{metrics_};
  std::unique_ptr<PsaCallWorker> worker_;
  ActivitySettings activity_;
  // No broker listens there: the history topic's half of each activity record fails (counted),
  // which must not keep the Redis view from having it, nor the test from answering.
  std::unique_ptr<KafkaProducer> producer_ = [] {
    KafkaSettings settings;
    settings.bootstrap_servers = "127.0.0.1:1";
    settings.delivery_timeout_ms = 1000;
    auto producer = KafkaProducer::create(settings);
    return std::move(*producer);
  }();
};

TEST_F(ConnectionCheckTest, TheRouteTakesAnAdminTokenForTheTenant) {
  auto h = handler();
  EXPECT_EQ(post(*h, "halo1", "").status, 401);
  EXPECT_EQ(post(*h, "halo1", "not-a-token-0123456789").status, 401);
  EXPECT_EQ(post(*h, "halo1", kSyncToken).status, 403);         // scope sync is not admin
  EXPECT_EQ(post(*h, "halo1", kOtherTenantToken).status, 403);  // another tenant's token
  EXPECT_EQ(post(*h, "nobody").status, 404);
  EXPECT_EQ(sandbox_.token_stats("oauth-echo").token_requests, 0) << "a refused request reached the PSA";
}

TEST_F(ConnectionCheckTest, APsaWithoutATestSaysSo) {
  auto h = handler();
  const auto r = post(*h, "static1", kOtherTenantToken);
  EXPECT_EQ(r.status, 501);
  EXPECT_NE(r.body.find("Static Echo PSA does not support a connection test"), std::string::npos) << r.body;
}

TEST_F(ConnectionCheckTest, RefusedCredentialsSuspendAndAPassingTestResumes) {
  auto h = handler();
  auto healthy = post(*h, "halo1");
  ASSERT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_NE(healthy.body.find(R"("ok":true)"), std::string::npos) << healthy.body;
  EXPECT_NE(healthy.body.find(R"("name":"credentials")"), std::string::npos) << healthy.body;
  EXPECT_NE(healthy.body.find(R"("was_suspended":false)"), std::string::npos) << healthy.body;
  // A cached token proves nothing: the test asked the PSA for a new one.
  const int64_t after_first = sandbox_.token_stats("oauth-echo").token_requests;
  EXPECT_GE(after_first, 1);
  ASSERT_EQ(post(*h, "halo1").status, 200);
  EXPECT_GT(sandbox_.token_stats("oauth-echo").token_requests, after_first);

  // The partner deletes the API application: the test fails in plain words and suspends.
  ASSERT_TRUE(sandbox_.revoke_credential("oauth-echo", echo::kClientId));
  auto refused = post(*h, "halo1");
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_NE(refused.body.find(R"("ok":false)"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Configuration > Integrations"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find(echo::kClientSecret), std::string::npos) << "a secret in the report";
  EXPECT_TRUE(suspended());
  // The partner sees it in the tenant's activity: the failed check named, with its reason code.
  const auto recorded = activity("halo1");
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[0].kind, "connection_test");
  EXPECT_EQ(recorded[0].outcome, "failed");
  EXPECT_EQ(recorded[0].reason, "connection_test_failed");
  EXPECT_NE(recorded[0].message.find("credentials"), std::string::npos) << recorded[0].message;
  EXPECT_EQ(recorded[1].outcome, "completed");

  // Still refused: tried once more (the test is an explicit request), still suspended.
  auto again = post(*h, "halo1");
  EXPECT_NE(again.body.find(R"("was_suspended":true)"), std::string::npos) << again.body;
  EXPECT_NE(again.body.find(R"("resumed":false)"), std::string::npos) << again.body;
  EXPECT_TRUE(suspended());

  // Fixed in the PSA: the test passes and the tenant is resumed.
  ASSERT_TRUE(sandbox_.restore_credential("oauth-echo", echo::kClientId));
  auto fixed = post(*h, "halo1");
  EXPECT_NE(fixed.body.find(R"("ok":true)"), std::string::npos) << fixed.body;
  EXPECT_NE(fixed.body.find(R"("resumed":true)"), std::string::npos) << fixed.body;
  EXPECT_FALSE(suspended());
  const auto last = activity("halo1").front();
  EXPECT_EQ(last.outcome, "completed");
  EXPECT_NE(last.message.find("suspension was lifted"), std::string::npos) << last.message;
  // Nothing was recorded for a tenant the test did not touch.
  EXPECT_TRUE(activity("static1").empty());
}

TEST_F(ConnectionCheckTest, AWarningIsAnsweredRecordedAndCountedButDoesNotFail) {
  auto h = handler();
  const auto r = post(*h, "warned1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("ok":true)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("warnings":[{"code":"privilege_admin","message":"the API user is an administrator"}])"),
            std::string::npos)
      << r.body;
  const auto recorded = activity("warned1");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].outcome, "completed");
  EXPECT_NE(recorded[0].message.find("more access than needed: privilege_admin"), std::string::npos)
      << recorded[0].message;
  EXPECT_EQ(testing::metric_value(
                metrics_.serialize(),
                R"(switchyard_connection_test_warnings_total{code="privilege_admin",psa="warned-echo"})"),
            1);

  // A test without warnings answers an empty list and counts nothing.
  const auto clean = post(*h, "halo1");
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_NE(clean.body.find(R"("warnings":[])"), std::string::npos) << clean.body;
  const std::string exposition = metrics_.serialize();
  size_t series = 0;
  for (size_t at = exposition.find("\nswitchyard_connection_test_warnings_total{"); at != std::string::npos;
       at = exposition.find("\nswitchyard_connection_test_warnings_total{", at + 1)) {
    ++series;
  }
  EXPECT_EQ(series, 1u) << exposition;
}

TEST_F(ConnectionCheckTest, AFullQueueIsRefusedNotQueuedForever) {
  auto h = handler({.queue = 0});
  const auto r = post(*h, "halo1");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("busy"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::ingest
