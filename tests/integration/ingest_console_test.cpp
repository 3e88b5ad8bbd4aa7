// The operator console's page and the two routes it adds (docs/console.md), without a browser
// (tests/browser drives it in Chromium): served on ingest's operator listener only, tenant data
// only for the tenants a token covers, and catalogue entries with the PSA's own steps.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/http_client.h"
#include "common/reason_catalogue.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

class IngestConsoleTest : public ::testing::Test {
 protected:
  IngestConsoleTest() : stack_(StackOptions{.normalize = false, .dispatch = false}) {}

  http::ClientResponse get(const std::string& url, std::string_view token) {
    http::ClientRequest r{.method = "GET", .url = url, .headers = {}, .body = ""};
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto response = client_.send(r);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::ClientResponse{};
  }
  http::ClientResponse get(const std::string& url) { return get(url, ""); }

  PipelineStack stack_;
  http::HttpClient client_;
};

TEST_F(IngestConsoleTest, ThePageIsServedOnTheOperatorListenerOnly) {
  const auto page = get(stack_.ingest_operator_url() + "/console");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/console/console.js"), std::string::npos);
  const auto script = get(stack_.ingest_operator_url() + "/console/console.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_NE(script.body.find("textContent"), std::string::npos);
  EXPECT_EQ(get(stack_.ingest_operator_url() + "/console/nope.js").status, 404);
  // Not on the public webhook port, nor on the vendor API.
  EXPECT_EQ(get(stack_.ingest_webhook_url() + "/console").status, 404);
  EXPECT_EQ(get(stack_.ingest_api_url() + "/console").status, 404);

  // The tenant list shows only the tenants the token covers, and no secret.
  const auto all = get(stack_.ingest_operator_url() + "/v1/tenants", kReadOnlyToken);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_NE(all.body.find(R"("id":"acme")"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("id":"globex")"), std::string::npos) << all.body;
  EXPECT_EQ(all.body.find("base_url"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("mode":"live")"), std::string::npos) << all.body;
  EXPECT_EQ(all.body.find("http"), std::string::npos) << "no URL of a tenant: " << all.body;
  const auto acme = get(stack_.ingest_operator_url() + "/v1/tenants", kAcmeReadToken);
  EXPECT_NE(acme.body.find(R"("id":"acme")"), std::string::npos) << acme.body;
  EXPECT_EQ(acme.body.find("globex"), std::string::npos) << acme.body;
  EXPECT_EQ(get(stack_.ingest_operator_url() + "/v1/tenants").status, 401);
  EXPECT_EQ(get(stack_.ingest_operator_url() + "/v1/tenants", kApiToken).status, 403) << "commands scope only";
  // Another tenant's data stays refused on the operator listener too.
  EXPECT_EQ(get(stack_.ingest_operator_url() + "/v1/tenants/globex/activity", kAcmeReadToken).status, 403);

  // One catalogue entry, with the tenant's PSA's own steps where they differ.
  const auto entry = get(stack_.ingest_operator_url() + "/v1/reasons/psa_rejected?psa=autotask", kReadOnlyToken);
  ASSERT_EQ(entry.status, 200) << entry.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(entry.body).get(root), simdjson::SUCCESS);
  std::string_view message;
  ASSERT_EQ(root["message"].get(message), simdjson::SUCCESS);
  EXPECT_EQ(message, find_reason("psa_rejected")->message);
  std::string_view psa;
  ASSERT_EQ(root["psa_steps"]["psa"].get(psa), simdjson::SUCCESS) << entry.body;
  EXPECT_EQ(psa, "Autotask");
  EXPECT_EQ(get(stack_.ingest_operator_url() + "/v1/reasons/no_such_code", kReadOnlyToken).status, 404);
}

}  // namespace
}  // namespace switchyard::testing
