// Adoption (docs/adoption.md) over the whole pipeline: the metrics move as the events happen.
// A connection test activates the tenant, a ticket created is its first value, an update adds a
// use, a rejected command an error by reason, an agreement synced for another tenant its own
// milestone; each shows in ingest's /metrics (read from Redis by the exporter) and in
// GET /v1/tenants/{t}/adoption (and GET /v1/adoption), which another tenant's token cannot read.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "common/adoption.h"
#include "common/http_client.h"
#include "common/redis_client.h"
#include "support/connectwise_samples.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

class PipelineAdoptionTest : public ::testing::Test {
 protected:
  http::ClientResponse send(const std::string& method, const std::string& path, std::string_view token,
                            const std::string& body = "") {
    auto r = client_.send({.method = method,
                           .url = stack_.ingest_api_url() + path,
                           .headers = {{"Content-Type", "application/json"},
                                       {"Authorization", "Bearer " + std::string(token)}},
                           .body = body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::ClientResponse{};
  }

  void command(const std::string& id, const std::string& ref, const std::string& extra = "") {
    const auto r = send("POST", "/v1/tenants/globex/commands", kApiToken,
                        R"({"command_version":1,"id":")" + id + R"(","tenant":"globex","type":"ticket.upsert",)"
                        R"("payload":{"external_ref":")" + ref + R"(","title":"Disk full")" + extra + "}}");
    ASSERT_EQ(r.status, 202) << r.body;
  }

  double metric(const std::string& series) {
    auto r = client_.send({.method = "GET", .url = stack_.ingest_operator_url() + "/metrics"});
    return r.ok() ? metric_value(r->body, series) : 0;
  }
  // Waits until the exporter shows `value` for the series (it reads Redis every 200 ms here).
  bool metric_becomes(const std::string& series, double value) {
    return eventually([&] { return metric(series) == value; }, std::chrono::seconds(20));
  }

  std::string summary(const std::string& tenant) {
    const auto r = send("GET", "/v1/tenants/" + tenant + "/adoption", kReadOnlyToken);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  PipelineStack stack_;
  http::HttpClient client_;
  simdjson::dom::parser parser_;
};

TEST_F(PipelineAdoptionTest, TheAdoptionMetricsMoveAsTheEventsHappen) {
  const std::string activated = R"(switchyard_tenant_activated_timestamp_seconds{tenant="globex"})";
  const std::string ticket_at = R"(switchyard_tenant_first_value_timestamp_seconds{milestone="ticket_created",tenant="globex"})";
  const std::string ttfv = R"(switchyard_tenant_time_to_first_value_seconds{milestone="ticket_created",tenant="globex"})";
  const std::string uses = R"(switchyard_tenant_workflow_uses{kind="command",tenant="globex",workflow="ticket.upsert"})";
  const std::string rejected = R"(switchyard_tenant_errors{reason="psa_rejected",tenant="globex"})";

  // Nothing yet: the summary names the milestones, none reached, and no series exists.
  simdjson::dom::element doc;
  ASSERT_EQ(parser_.parse(summary("globex")).get(doc), simdjson::SUCCESS);
  EXPECT_TRUE(doc["activated_at"].is_null());
  EXPECT_TRUE(doc["milestones"]["ticket_created"].is_null());
  EXPECT_EQ(metric(activated), 0);

  // 1. The connection test passes: activated.
  const auto test = send("POST", "/v1/tenants/globex/connection-test", kAdminToken);
  ASSERT_EQ(test.status, 200) << test.body;
  ASSERT_TRUE(eventually([&] { return metric(activated) > 0; }, std::chrono::seconds(20)));
  EXPECT_EQ(metric(ticket_at), 0);

  // 2. The first ticket created: first value, one use.
  command("adopt-1", "adopt-ref-1");
  ASSERT_TRUE(metric_becomes(uses, 1));
  EXPECT_GE(metric(ticket_at), metric(activated));
  EXPECT_GE(metric(ttfv), 0);
  EXPECT_NEAR(metric(ttfv), metric(ticket_at) - metric(activated), 0.01);
  EXPECT_EQ(metric(rejected), 0);
  const double first_value = metric(ticket_at);

  // 3. The same ticket updated: a second use, the first value stays.
  command("adopt-2", "adopt-ref-1", R"(,"priority":"high")");
  ASSERT_TRUE(metric_becomes(uses, 2));
  EXPECT_EQ(metric(ticket_at), first_value);

  // 4. A command the PSA rejects (no such company): an error by its reason, not a use.
  command("adopt-3", "adopt-ref-3", R"(,"company_id":"999999")");
  ASSERT_TRUE(metric_becomes(rejected, 1));
  EXPECT_EQ(metric(uses), 2);

  // 5. Another tenant's agreement synced: its own milestone and use; not activated, so no time
  // to first value.
  auto posted = stack_.post_connectwise_callback(connectwise_callback("agreement", kConnectWiseAgreement31));
  ASSERT_TRUE(posted.ok());
  ASSERT_EQ(posted->status, 202) << posted->body;
  ASSERT_TRUE(metric_becomes(R"(switchyard_tenant_workflow_uses{kind="inbound",tenant="acme",workflow="agreement"})", 1));
  EXPECT_GT(metric(R"(switchyard_tenant_first_value_timestamp_seconds{milestone="agreement_synced",tenant="acme"})"), 0);
  EXPECT_EQ(metric(R"(switchyard_tenant_time_to_first_value_seconds{milestone="agreement_synced",tenant="acme"})"), 0);
  EXPECT_EQ(metric(R"(switchyard_tenant_activated_timestamp_seconds{tenant="acme"})"), 0);

  // The summary says the same.
  ASSERT_EQ(parser_.parse(summary("globex")).get(doc), simdjson::SUCCESS);
  EXPECT_FALSE(doc["activated_at"].is_null());
  EXPECT_NEAR(double(doc["milestones"]["ticket_created"]["time_to_first_value_seconds"]), metric(ttfv), 0.01);
  EXPECT_EQ(int64_t(doc["usage"]["command"]["ticket.upsert"]), 2);
  EXPECT_EQ(int64_t(doc["errors"]["psa_rejected"]), 1);
  ASSERT_EQ(parser_.parse(summary("acme")).get(doc), simdjson::SUCCESS);
  EXPECT_TRUE(doc["activated_at"].is_null());
  EXPECT_TRUE(doc["milestones"]["agreement_synced"]["time_to_first_value_seconds"].is_null());
  EXPECT_EQ(int64_t(doc["usage"]["inbound"]["agreement"]), 1);
}

TEST_F(PipelineAdoptionTest, OnlyATokenForTheTenantWithScopeReadGetsItsSummary) {
  // acme's token asking for globex: 403 before anything says whether globex exists.
  const auto other = send("GET", "/v1/tenants/globex/adoption", kAcmeReadToken);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(other.body.find("activated_at"), std::string::npos);
  EXPECT_EQ(send("GET", "/v1/tenants/nobody/adoption", kAcmeReadToken).status, 403);
  EXPECT_EQ(send("GET", "/v1/tenants/acme/adoption", kAcmeReadToken).status, 200);
  // Every tenant's summary: only those the token covers.
  simdjson::dom::element doc;
  auto all = send("GET", "/v1/adoption", kAcmeReadToken);
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(parser_.parse(all.body).get(doc), simdjson::SUCCESS);
  ASSERT_EQ(simdjson::dom::array(doc["tenants"]).size(), 1u) << all.body;
  EXPECT_EQ(std::string_view(doc["tenants"].at(0)["tenant"]), "acme");
  all = send("GET", "/v1/adoption", kReadOnlyToken);
  ASSERT_EQ(parser_.parse(all.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(doc["tenants"]).size(), 2u) << all.body;
  EXPECT_EQ(send("GET", "/v1/adoption", kApiToken).status, 403);
  // A commands token lacks scope read; no token at all is 401.
  EXPECT_EQ(send("GET", "/v1/tenants/acme/adoption", kApiToken).status, 403);
  auto anonymous = client_.send({.method = "GET", .url = stack_.ingest_api_url() + "/v1/tenants/acme/adoption"});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(PipelineAdoptionTest, OnlyConfiguredTenantsHaveSeries) {
  ASSERT_EQ(send("POST", "/v1/tenants/globex/connection-test", kAdminToken).status, 200);
  const std::string activated = R"(switchyard_tenant_activated_timestamp_seconds{tenant="globex"})";
  ASSERT_TRUE(eventually([&] { return metric(activated) > 0; }, std::chrono::seconds(20)));
  // A hash in Redis whose tenant is not configured never becomes a label.
  RedisClient redis(stack_.redis().settings());
  ASSERT_TRUE(redis.command({"HSET", adoption_key("ghost"), "activated_at", "2026-12-01T10:00:00Z"}));

  // globex removed from the tenants file: its series go with it (its hash stays until offboarding).
  std::string json = stack_.tenants_json();
  json = json.substr(0, json.rfind(',', json.find(R"({"id":"globex")"))) + "]}";
  const std::string path = stack_.config().tenants_file;
  std::ofstream(path + ".new") << json;
  std::filesystem::rename(path + ".new", path);
  auto reloaded = stack_.ingest().tenant_reloader()->reload_now();
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  ASSERT_TRUE(metric_becomes(activated, 0));
  auto r = client_.send({.method = "GET", .url = stack_.ingest_operator_url() + "/metrics"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body.find(R"(tenant="ghost")"), std::string::npos);
  EXPECT_EQ(r->body.find(R"(switchyard_tenant_activated_timestamp_seconds{tenant="globex"})"), std::string::npos);
  EXPECT_EQ(redis.command({"HEXISTS", adoption_key("globex"), "activated_at"})->integer, 1);
}

}  // namespace
}  // namespace switchyard::testing
