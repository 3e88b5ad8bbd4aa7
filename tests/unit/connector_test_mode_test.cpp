// Test mode (connectors/test_mode_psa_http.h): reads reach the PSA, the first write is kept
// without its secrets and never sent, and each connector says what its reads are.
#include <gtest/gtest.h>

#include "connectors/registry.h"
#include "connectors/test_mode_psa_http.h"

namespace switchyard::connectors {
namespace {

class CountingHttp : public PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    sent.push_back(request.method + " " + request.url);
    return http::ClientResponse{200, {}, "{}"};
  }
  std::vector<std::string> sent;
};

bool get_only(const http::ClientRequest& r) { return r.method == "GET"; }

TEST(TestModePsaHttpTest, ReadsAreSentAndTheFirstWriteIsKeptNotSent) {
  CountingHttp inner;
  TestModePsaHttp test_mode(inner, get_only);
  EXPECT_TRUE(test_mode.send({.method = "GET", .url = "https://psa.example/tickets?ref=1"}).ok());
  auto write = test_mode.send({.method = "POST", .url = "https://psa.example/tickets", .body = R"({"title":"x"})"});
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, kTestModeCode);
  EXPECT_FALSE(test_mode.send({.method = "PATCH", .url = "https://psa.example/tickets/9", .body = "[]"}).ok());
  EXPECT_EQ(inner.sent, std::vector<std::string>{"GET https://psa.example/tickets?ref=1"});
  ASSERT_TRUE(test_mode.would_send().has_value());
  EXPECT_EQ(test_mode.would_send()->method, "POST") << "the first write is the one kept";
  EXPECT_EQ(test_mode.would_send()->body, R"({"title":"x"})");
}

TEST(TestModePsaHttpTest, TheRenderedRequestCarriesNoSecret) {
  const http::ClientRequest request{
      .method = "POST",
      .url = "https://psa.example/api/tickets?api_key=s3cr3t&board=2&access_token=t0k3n&x",
      .headers = {{"Authorization", "Basic dXNlcjpwYXNz"}, {"UserName", "api@msp"}, {"Secret", "s3cr3t"},
                  {"ApiIntegrationCode", "CODE"}, {"clientId", "abc"}, {"Content-Type", "application/json"},
                  {"Accept", "application/json"}},
      .body = R"({"title":"Disk full"})"};
  const RenderedRequest r = render_without_secrets(request);
  EXPECT_EQ(r.url, "https://psa.example/api/tickets?api_key=REDACTED&board=2&access_token=REDACTED&x");
  EXPECT_EQ(r.headers, (http::Headers{{"Content-Type", "application/json"}, {"Accept", "application/json"}}));
  EXPECT_EQ(r.body, request.body);
}

TEST(TestModePsaHttpTest, AutotaskReadsWithPostedQueriesAndTheOthersWithGet) {
  const auto& registry = builtin_registry();
  const Connector* autotask = registry.find("autotask");
  ASSERT_NE(autotask, nullptr);
  EXPECT_TRUE(autotask->is_read({.method = "POST", .url = "https://x/ATServicesRest/V1.0/Tickets/query"}));
  EXPECT_TRUE(autotask->is_read({.method = "GET", .url = "https://x/ATServicesRest/V1.0/Tickets/query/next?paging=1"}));
  EXPECT_FALSE(autotask->is_read({.method = "POST", .url = "https://x/ATServicesRest/V1.0/Tickets"}));
  EXPECT_FALSE(autotask->is_read({.method = "PATCH", .url = "https://x/ATServicesRest/V1.0/Tickets"}));
  for (const auto& name : registry.names()) {
    const Connector* c = registry.find(name);
    EXPECT_TRUE(c->is_read({.method = "GET", .url = "https://x/any"})) << name;
    EXPECT_FALSE(c->is_read({.method = "DELETE", .url = "https://x/any"})) << name;
    if (name != "autotask") {
      EXPECT_FALSE(c->is_read({.method = "POST", .url = "https://x/any/query"})) << name;
    }
  }
}

}  // namespace
}  // namespace switchyard::connectors
