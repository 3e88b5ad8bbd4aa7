// The audit trail over the real parts (ingest in-process, redis-server, the embedded Kafka and
// the PSA sandbox): every admin action on the vendor API leaves one record on
// switchyard.audit.v1, read back from the broker, naming the token's id (never the token), the
// tenant and the outcome; a change of the tenants file is recorded once, as "config-file", with
// the file's hash and the tenants it changed, however many replicas read it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/config_change_audit.h"
#include "common/crypto.h"
#include "common/http_client.h"
#include "common/kafka_audit_trail.h"
#include "common/topics.h"
#include "support/kafka_helpers.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

struct Audited {
  std::string key, actor, action, tenant, outcome, details, json;
};

std::vector<Audited> audit_records(const std::string& bootstrap) {
  std::vector<Audited> out;
  simdjson::dom::parser parser;
  for (const auto& m : read_topic_to_end(bootstrap, std::string(topics::kAudit))) {
    simdjson::dom::element doc;
    if (parser.parse(m.value).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << m.value;
      continue;
    }
    Audited a;
    a.key = m.key;
    a.json = m.value;
    std::string_view v;
    if (!doc["actor"].get(v)) a.actor = v;
    if (!doc["action"].get(v)) a.action = v;
    if (!doc["tenant"].get(v)) a.tenant = v;
    if (!doc["outcome"].get(v)) a.outcome = v;
    a.details = simdjson::minify(doc["details"].value_unsafe());
    std::string_view id, time;
    EXPECT_FALSE(doc["id"].get(id)) << m.value;
    EXPECT_EQ(id.size(), 32u) << m.value;
    EXPECT_FALSE(doc["time"].get(time)) << m.value;
    EXPECT_TRUE(time.size() == 24 && time.ends_with("Z")) << "UTC with milliseconds: " << time;
    out.push_back(std::move(a));
  }
  return out;
}

class PipelineAuditTest : public ::testing::Test {
 protected:
  http::ClientResponse call(const std::string& method, const std::string& path, std::string_view token,
                            const std::string& body = "") {
    http::Headers headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
    auto r = client_.send({.method = method, .url = stack_.ingest_api_url() + path, .headers = headers, .body = body,
                           .timeout = std::chrono::milliseconds(20000)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }

  PipelineStack stack_{StackOptions{.normalize = false, .dispatch = false}};
  http::HttpClient client_;
};

TEST_F(PipelineAuditTest, EveryAdminActionLeavesOneRecordWithTheTokensIdAndTheOutcome) {
  struct Action {
    std::string method, path, body, action, tenant;
  };
  const std::vector<Action> actions = {
      {"POST", "/v1/tenants/acme/connection-test", "", "connection_test", "acme"},
      {"POST", "/v1/tenants/acme/sync", "{}", "sync", "acme"},
      {"POST", "/v1/tenants/acme/dead-letters/replay", R"({"all":true})", "replay", "acme"},
      {"POST", "/v1/tenants/acme/webhooks", "", "webhooks_register", "acme"},
      {"DELETE", "/v1/tenants/acme/webhooks", "", "webhooks_unregister", "acme"},
      {"POST", "/v1/tenants/globex/erasure", R"({"contact_id":"29"})", "erasure", "globex"},
      {"POST", "/v1/tenants/nobody/connection-test", "", "connection_test", "nobody"},
  };
  std::vector<int> statuses;
  for (const auto& a : actions) statuses.push_back(call(a.method, a.path, kOperatorToken, a.body).status);
  EXPECT_EQ(statuses[0], 200);
  EXPECT_EQ(statuses[2], 200);
  EXPECT_EQ(statuses[3], 200);
  EXPECT_EQ(statuses[5], 200);
  EXPECT_EQ(statuses[6], 404);
  // Without a known token nothing happens, and nothing is recorded.
  EXPECT_EQ(call("POST", "/v1/tenants/acme/sync", "", "{}").status, 401);
  EXPECT_EQ(call("POST", "/v1/tenants/acme/sync", "not-a-token-0123456789abcdef", "{}").status, 401);
  // Reads are not admin actions.
  EXPECT_EQ(call("GET", "/v1/tenants/acme/activity", kOperatorToken).status, 200);

  // Each answer waited for its record: they are all on the topic now (in order per tenant only:
  // the topic is keyed by tenant, so they are matched by action and tenant).
  std::map<std::pair<std::string, std::string>, Audited> by_action;
  const auto records = audit_records(stack_.kafka().bootstrap());
  for (const auto& r : records) by_action[{r.action, r.tenant}] = r;
  ASSERT_EQ(records.size(), actions.size());
  ASSERT_EQ(by_action.size(), actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    SCOPED_TRACE(actions[i].path);
    const Audited& r = by_action[{actions[i].action, actions[i].tenant}];
    EXPECT_EQ(r.actor, "token:test-operator");
    EXPECT_EQ(r.key, actions[i].tenant) << "keyed by tenant";
    const std::string expected = statuses[i] >= 500 ? "failed" : statuses[i] >= 400 ? "refused" : "ok";
    EXPECT_EQ(r.outcome, expected);
    EXPECT_EQ(r.json.find(kOperatorToken), std::string::npos) << "the token itself: " << r.json;
  }
  const Audited& sync = by_action[{"sync", "acme"}];
  EXPECT_NE(sync.details.find(R"("status":)" + std::to_string(statuses[1])), std::string::npos) << sync.details;
  const Audited& erasure = by_action[{"erasure", "globex"}];
  EXPECT_NE(erasure.details.find("contact_id_hmac_sha256"), std::string::npos) << erasure.details;
  EXPECT_EQ(erasure.json.find(R"("29")"), std::string::npos) << "the contact id in clear: " << erasure.json;
  const std::string metrics = stack_.ingest().metrics().serialize();
  EXPECT_EQ(metric_value(metrics, R"(switchyard_audit_records_total{action="connection_test",outcome="ok"})"), 1);
  EXPECT_EQ(metric_value(metrics, R"(switchyard_audit_records_total{action="connection_test",outcome="refused"})"), 1);
  EXPECT_EQ(metric_value(metrics, R"(switchyard_audit_records_total{action="erasure",outcome="ok"})"), 1);
}

TEST_F(PipelineAuditTest, ATenantsFileChangeIsRecordedOnceWithTheFilesHashAndTheTenantsItChanged) {
  const std::string path = stack_.config().tenants_file;
  const std::string before = stack_.tenants_json();
  // A second replica reading the same file, with its own producer (another process in production).
  Metrics metrics;
  auto producer = make_producer(settings_for(stack_.kafka()));
  KafkaAuditTrail other_trail(*producer, std::string(topics::kAudit), "ingest", metrics);
  ConfigChangeAudit other_replica(other_trail, stack_.redis().settings(), path);

  std::string after = before;
  const std::string id = R"("id":"globex")";
  after.insert(after.find(id) + id.size(), R"(,"mode":"test")");
  {
    std::ofstream(path + ".new") << after;
    std::filesystem::rename(path + ".new", path);
  }
  auto applied = stack_.ingest().tenant_reloader()->reload_now();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  ASSERT_TRUE(*applied);
  // The other replica sees the same change: it finds it claimed and records nothing.
  TenantChanges same;
  same.changed = {"globex"};
  same.test_mode_on = {"globex"};
  other_replica.record(same);
  ASSERT_TRUE(producer->flush(std::chrono::seconds(10)));

  const auto records = audit_records(stack_.kafka().bootstrap());
  ASSERT_EQ(records.size(), 1u);
  const Audited& r = records[0];
  EXPECT_EQ(r.actor, "config-file");
  EXPECT_EQ(r.action, "config_reload");
  EXPECT_EQ(r.outcome, "ok");
  EXPECT_EQ(r.tenant, "");
  EXPECT_NE(r.details.find(R"("sha256":")" + crypto::sha256_hex(after) + "\""), std::string::npos) << r.details;
  EXPECT_NE(r.details.find(R"("previous_sha256":")" + crypto::sha256_hex(before) + "\""), std::string::npos)
      << r.details;
  EXPECT_NE(r.details.find(R"("changed":["globex"])"), std::string::npos) << r.details;
  EXPECT_NE(r.details.find(R"("test_mode_on":["globex"])"), std::string::npos) << r.details;
  EXPECT_NE(r.details.find(R"("added":[])"), std::string::npos) << r.details;

  // Back to live: a new change, recorded again.
  {
    std::ofstream(path + ".new") << before;
    std::filesystem::rename(path + ".new", path);
  }
  ASSERT_TRUE(*stack_.ingest().tenant_reloader()->reload_now());
  const auto again = audit_records(stack_.kafka().bootstrap());
  ASSERT_EQ(again.size(), 2u);
  EXPECT_NE(again[1].details.find(R"("test_mode_off":["globex"])"), std::string::npos) << again[1].details;
}

}  // namespace
}  // namespace switchyard::testing
