// Tenants reload in running services, over the real parts: pausing a tenant parks its commands
// in dispatch (a "parked" result with reason tenant_paused, no PSA write) until it is resumed;
// a removed tenant is unknown to ingest at once; a configuration that does not validate changes
// nothing and shows in the metrics.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "common/http_client.h"
#include "common/topics.h"
#include "support/activity_reader.h"
#include "support/command_results.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineTenantReloadTest : public ::testing::Test {
 protected:
  static StackOptions options() {
    StackOptions o;
    o.normalize = false;
    return o;
  }

  // As Kubernetes updates a mounted file: the new content appears at once, by a rename.
  void write_tenants(const std::string& json) {
    const std::string path = stack_.config().tenants_file;
    std::ofstream(path + ".new") << json;
    std::filesystem::rename(path + ".new", path);
  }
  // Both services read the file again now (in production: every SWITCHYARD_TENANTS_RELOAD_SECONDS).
  void reload(bool expect_change = true) {
    for (TenantReloader* r : {stack_.ingest().tenant_reloader(), stack_.dispatch().tenant_reloader()}) {
      ASSERT_NE(r, nullptr);
      auto applied = r->reload_now();
      ASSERT_TRUE(applied.ok()) << applied.error().message;
      EXPECT_EQ(*applied, expect_change);
    }
  }
  std::string with_globex(const std::string& extra) const {
    std::string json = stack_.tenants_json();
    const std::string id = R"("id":"globex")";
    json.insert(json.find(id) + id.size(), extra);
    return json;
  }
  std::string without_globex() const {
    std::string json = stack_.tenants_json();
    const size_t start = json.rfind(',', json.find(R"({"id":"globex")"));
    return json.substr(0, start) + "]}";
  }

  int post_command(const std::string& id, const std::string& ref) {
    const std::string body = R"({"command_version":1,"id":")" + id +
                             R"(","tenant":"globex","type":"ticket.upsert","payload":{"external_ref":")" + ref +
                             R"(","title":"Printer offline"}})";
    auto r = client_.send({.method = "POST", .url = stack_.ingest_api_url() + "/v1/tenants/globex/commands",
                           .headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + std::string(kApiToken)}},
                           .body = body});
    return r.ok() ? r->status : 0;
  }

  // The reason_code of the command's first result with `outcome`, "" when there is none.
  std::string result_reason(const std::string& command_id, const std::string& outcome) {
    simdjson::dom::parser parser;
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCommandResults))) {
      auto doc = parser.parse(m.value);
      std::string_view id, out, reason;
      if (doc["command_id"].get(id) || id != command_id) continue;
      if (doc["outcome"].get(out) || out != outcome) continue;
      if (doc["reason_code"].get(reason)) return "(none)";
      return std::string(reason);
    }
    return "";
  }

  size_t tickets_with_ref(const std::string& ref) { return autotask_tickets_with_ref(stack_.psa(), ref); }

  // The command's first result with `outcome`, whole; "" when there is none.
  std::string result_json(const std::string& command_id, const std::string& outcome) {
    return command_result(stack_.kafka().bootstrap(), command_id, outcome);
  }

  PipelineStack stack_{options()};
  http::HttpClient client_;
};

TEST_F(PipelineTenantReloadTest, APausedTenantsCommandsParkUntilItIsResumed) {
  reload(/*expect_change=*/false);
  write_tenants(with_globex(R"(,"paused":true)"));
  reload();

  ASSERT_EQ(post_command("cmd-paused-1", "ref-paused-1"), 202) << "a paused tenant's commands are still taken in";
  ASSERT_TRUE(eventually([&] { return result_reason("cmd-paused-1", "parked") == "tenant_paused"; },
                         std::chrono::seconds(30)))
      << "the command should be parked with reason tenant_paused";
  EXPECT_EQ(tickets_with_ref("ref-paused-1"), 0u) << "a paused tenant's PSA must not be written";

  write_tenants(stack_.tenants_json());
  reload();
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("ref-paused-1") == 1; }, std::chrono::seconds(30)))
      << "the parked command did not run after the tenant was resumed";
  // The result is produced after the PSA answered, so it may trail the ticket by a moment.
  std::string created;
  EXPECT_TRUE(eventually([&] { return !(created = result_reason("cmd-paused-1", "created")).empty(); },
                         std::chrono::seconds(30)))
      << "the final result follows the parked one";
  EXPECT_EQ(created, "(none)") << "a created result carries no reason";
}

TEST_F(PipelineTenantReloadTest, ATestModeTenantsCommandIsRenderedNotSentUntilItGoesLive) {
  write_tenants(with_globex(R"(,"mode":"test")"));
  reload();
  ASSERT_EQ(post_command("cmd-test-1", "ref-test-1"), 202);

  // The exact request Autotask would have received, without a secret, and nothing written.
  std::string result;
  ASSERT_TRUE(eventually([&] { return !(result = result_json("cmd-test-1", "would_send")).empty(); },
                         std::chrono::seconds(30)));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result).get(root), simdjson::SUCCESS) << result;
  std::string_view method, url, body;
  ASSERT_EQ(root["would_send"]["method"].get(method), simdjson::SUCCESS) << result;
  ASSERT_EQ(root["would_send"]["url"].get(url), simdjson::SUCCESS);
  ASSERT_EQ(root["would_send"]["body"].get(body), simdjson::SUCCESS);
  EXPECT_EQ(method, "POST");
  EXPECT_TRUE(url.starts_with(stack_.psa().autotask_base_url()) && url.ends_with("/Tickets")) << url;
  EXPECT_NE(body.find("Printer offline"), std::string::npos) << body;
  EXPECT_NE(body.find("ref-test-1"), std::string::npos) << body;
  const sandbox::AutotaskCredentials credentials;
  for (const std::string& secret : {credentials.username, credentials.secret, credentials.integration_code}) {
    EXPECT_EQ(result.find(secret), std::string::npos) << "a credential in the rendered request: " << result;
  }
  EXPECT_EQ(tickets_with_ref("ref-test-1"), 0u) << "test mode wrote to the PSA";
  // Marked as test mode in the metrics and in the tenant's activity.
  EXPECT_TRUE(eventually([&] {
    return metric_value(stack_.ingest().metrics().serialize(), R"(switchyard_tenant_test_mode{tenant="globex"})") == 1;
  }, std::chrono::seconds(10)));
  EXPECT_EQ(metric_value(stack_.dispatch().metrics().serialize(),
                         R"(switchyard_dispatch_commands_total{outcome="would_send",psa="autotask",tenant="globex",type="ticket.upsert"})"),
            1);
  RedisClient redis(stack_.redis().settings());
  const auto activity = recent_activity(redis, "globex");
  const auto rendered = std::ranges::find_if(activity, [](const ActivityRecord& r) { return r.command_id == "cmd-test-1"; });
  ASSERT_NE(rendered, activity.end());
  EXPECT_EQ(rendered->outcome, "would_send");
  EXPECT_EQ(rendered->reason, "test_mode");
  EXPECT_EQ(rendered->message.find("Printer offline"), std::string::npos) << "ids only: " << rendered->message;

  // Live again, without a restart: the same command now writes, once.
  write_tenants(stack_.tenants_json());
  reload();
  ASSERT_EQ(post_command("cmd-test-1", "ref-test-1"), 202);
  ASSERT_TRUE(eventually([&] { return tickets_with_ref("ref-test-1") == 1; }, std::chrono::seconds(30)));
  EXPECT_TRUE(eventually([&] {
    return metric_value(stack_.ingest().metrics().serialize(), R"(switchyard_tenant_test_mode{tenant="globex"})") == 0;
  }, std::chrono::seconds(10)));
}

TEST_F(PipelineTenantReloadTest, ARemovedTenantIsUnknownAndAnInvalidFileChangesNothing) {
  write_tenants(without_globex());
  reload();
  EXPECT_EQ(post_command("cmd-removed-1", "ref-removed-1"), 404);

  write_tenants(stack_.tenants_json());
  reload();
  EXPECT_EQ(post_command("cmd-back-1", "ref-back-1"), 202);

  // Not valid: the tenants stay as they were, and the metrics say the file is invalid.
  write_tenants(with_globex(R"(,"rate_limit":{"burst":0})"));
  auto invalid = stack_.ingest().tenant_reloader()->reload_now();
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("tenants[1].rate_limit.burst"), std::string::npos) << invalid.error().message;
  EXPECT_EQ(post_command("cmd-still-1", "ref-still-1"), 202);
  const std::string metrics = stack_.ingest().metrics().serialize();
  EXPECT_EQ(metric_value(metrics, R"(switchyard_config_valid{config="tenants"})"), 0) << metrics;
  EXPECT_EQ(metric_value(metrics, R"(switchyard_config_reloads_total{config="tenants",result="invalid"})"), 1);
  EXPECT_EQ(metric_value(metrics, R"(switchyard_config_reloads_total{config="tenants",result="applied"})"), 2);
}

}  // namespace
}  // namespace switchyard::testing
