// POST/DELETE /v1/tenants/{tenant}/webhooks through the real ingest against the sandbox's
// ConnectWise: the tenant's callbacks are registered at the public webhook URL, idempotently, and
// removed again; the route takes an admin token for the tenant.
#include <gtest/gtest.h>

#include "common/http_client.h"
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

}  // namespace
}  // namespace switchyard::testing
