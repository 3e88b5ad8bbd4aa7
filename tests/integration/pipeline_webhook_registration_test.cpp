// POST/DELETE /v1/tenants/{tenant}/webhooks through the real ingest against the sandbox's
// ConnectWise: the tenant's callbacks are registered at the public webhook URL, idempotently, and
// removed again; the route takes an admin token for the tenant.
#include <gtest/gtest.h>

#include <thread>

#include "common/http_client.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

class WebhookRegistrationTest : public ::testing::Test {
 protected:
  http::ClientResponse call(const std::string& method, const std::string& tenant, std::string_view token = kAdminToken) {
    http::Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = client_.send({.method = method, .url = stack_.ingest_api_url() + "/v1/tenants/" + tenant + "/webhooks",
                           .headers = headers, .timeout = std::chrono::milliseconds(15000)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }
  size_t callbacks_at(const std::string& url) {
    size_t n = 0;
    for (const auto& json : stack_.psa().records("connectwise", "callbacks")) {
      if (json.find("\"url\":\"" + url + "\"") != std::string::npos) ++n;
    }
    return n;
  }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false}};
  http::HttpClient client_;
  const std::string url_ = std::string(kPublicWebhookUrl) + "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant);
};

TEST_F(WebhookRegistrationTest, RegistersOnceAndRemoves) {
  const auto first = call("POST", std::string(kConnectWiseTenant));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find(R"("changed":true)"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find(url_), std::string::npos) << first.body;
  EXPECT_EQ(callbacks_at(url_), 5u);

  const auto again = call("POST", std::string(kConnectWiseTenant));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find(R"("changed":false)"), std::string::npos) << again.body;
  EXPECT_EQ(callbacks_at(url_), 5u);

  const auto removed = call("DELETE", std::string(kConnectWiseTenant));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(callbacks_at(url_), 0u);
  EXPECT_EQ(call("DELETE", std::string(kConnectWiseTenant)).status, 200) << "twice is fine";
}

TEST_F(WebhookRegistrationTest, TakesAnAdminToken) {
  EXPECT_EQ(call("POST", std::string(kConnectWiseTenant), "").status, 401);
  EXPECT_EQ(call("POST", std::string(kConnectWiseTenant), kApiToken).status, 403);  // scope commands
  EXPECT_EQ(call("POST", "nobody").status, 404);
  EXPECT_EQ(callbacks_at(url_), 0u);
  // Autotask registers too (pipeline_autotask_webhooks_test); a PSA without registration
  // answers 501 not_supported (the route's mapping of kNotSupported).
}

// A PSA that switched Switchyard's callbacks off (ConnectWise marks one inactive after failed
// deliveries) gets them registered again by the keeper, with an activity record; after DELETE
// the keeper leaves them alone.
class WebhookKeeperTest : public ::testing::Test {
 protected:
  PipelineStack stack{StackOptions{.normalize = false, .dispatch = false,
                                   .webhook_check_interval = std::chrono::milliseconds(300)}};
  http::HttpClient client;
  const std::string url_ = std::string(kPublicWebhookUrl) + "/v1/webhooks/connectwise/" + std::string(kConnectWiseTenant);
};

TEST_F(WebhookKeeperTest, AnInactiveCallbackIsRegisteredAgainByTheKeeper) {
  const auto post = client.send({.method = "POST",
                                 .url = stack.ingest_api_url() + "/v1/tenants/acme/webhooks",
                                 .headers = {{"Authorization", "Bearer " + std::string(kAdminToken)}},
                                 .timeout = std::chrono::milliseconds(15000)});
  ASSERT_TRUE(post.ok());
  ASSERT_EQ(post->status, 200) << post->body;
  // ConnectWise switches one callback off.
  std::string switched_off;
  for (const auto& json : stack.psa().records("connectwise", "callbacks")) {
    if (json.find(url_) == std::string::npos) continue;
    switched_off = json;
    break;
  }
  ASSERT_FALSE(switched_off.empty());
  const auto flag = switched_off.find(R"("inactiveFlag":false)");
  ASSERT_NE(flag, std::string::npos) << switched_off;
  std::string inactive = switched_off;
  inactive.replace(flag, std::string(R"("inactiveFlag":false)").size(), R"("inactiveFlag":true)");
  stack.psa().upsert_record("connectwise", "callbacks", inactive);
  const auto active_count = [&] {
    size_t n = 0;
    for (const auto& json : stack.psa().records("connectwise", "callbacks")) {
      n += json.find(url_) != std::string::npos && json.find(R"("inactiveFlag":false)") != std::string::npos;
    }
    return n;
  };
  ASSERT_EQ(active_count(), 4u);
  ASSERT_TRUE(eventually([&] { return active_count() == 5u; }, std::chrono::seconds(20)))
      << "the keeper did not register the callback again";
  // The partner sees why in the tenant's activity.
  ASSERT_TRUE(eventually([&] {
    auto r = client.send({.method = "GET", .url = stack.ingest_api_url() + "/v1/tenants/acme/activity?kind=webhook_registration",
                          .headers = {{"Authorization", "Bearer " + std::string(kReadOnlyToken)}}});
    return r.ok() && r->body.find(R"("reason":"webhook_deactivated")") != std::string::npos;
  }, std::chrono::seconds(10)));

  // Unregistered: the keeper no longer touches them.
  auto removed = client.send({.method = "DELETE", .url = stack.ingest_api_url() + "/v1/tenants/acme/webhooks",
                              .headers = {{"Authorization", "Bearer " + std::string(kAdminToken)}},
                              .timeout = std::chrono::milliseconds(15000)});
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(active_count(), 0u);
}

}  // namespace
}  // namespace switchyard::testing
