// Offboarding a tenant (POST /v1/tenants/{tenant}/offboard) over the whole pipeline and the real
// parts: after real traffic for acme (ConnectWise) and globex (Autotask) — webhook registration,
// a callback, polls, a sync request, a command each, connection tests, set-up lookups — it is
// refused while acme is active; once acme is paused it unregisters acme's callbacks in the
// sandbox and leaves no key of acme in Redis while every key of globex (and of "acme2", whose id
// starts like acme's) stays; a second run removes nothing; after acme is removed from the
// tenants file it still erases what is left, and says its webhooks could not be looked for.
// Every run is audited and counted.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>

#include "common/http_client.h"
#include "common/tenant_keys.h"
#include "common/topics.h"
#include "support/audit_records.h"
#include "support/command_results.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class PipelineOffboardTest : public ::testing::Test {
 protected:
  static StackOptions options(AuditTrail* audit) {
    StackOptions o;
    o.audit = audit;
    return o;
  }

  http::ClientResponse call(const std::string& method, const std::string& path, std::string_view token,
                            const std::string& body = "") {
    http::Headers headers = {{"Authorization", "Bearer " + std::string(token)}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    auto r = client_.send({.method = method, .url = stack_.ingest_api_url() + path, .headers = headers, .body = body,
                           .timeout = std::chrono::milliseconds(30000)});
    EXPECT_TRUE(r.ok()) << path << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }
  http::ClientResponse offboard(const std::string& tenant, std::string_view token = kAdminToken) {
    return call("POST", "/v1/tenants/" + tenant + "/offboard", token);
  }

  // What a tenant does in a day, through the real routes and services.
  void traffic(const std::string& tenant, const std::string& command) {
    ASSERT_EQ(call("POST", "/v1/tenants/" + tenant + "/webhooks", kAdminToken).status, 200) << tenant;
    ASSERT_EQ(call("POST", "/v1/tenants/" + tenant + "/connection-test", kAdminToken).status, 200) << tenant;
    const TenantRef t = stack_.ingest().tenants().find(tenant);
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(stack_.ingest().poller().poll_now(*t, "ticket").ok()) << tenant;
    auto synced = std::make_shared<std::promise<Status>>();
    stack_.ingest().poller().request_sync(*t, {"ticket"}, [synced](Status s) { synced->set_value(std::move(s)); });
    auto sync_done = synced->get_future();
    ASSERT_EQ(sync_done.wait_for(std::chrono::seconds(10)), std::future_status::ready) << tenant;
    ASSERT_TRUE(sync_done.get().ok()) << tenant;
    ASSERT_EQ(call("POST", "/v1/tenants/" + tenant + "/commands", kApiToken, command).status, 202) << command;
  }

  // Families the stack's two PSAs never write (a token: HaloPSA, Kaseya BMS and Pulseway; recipe
  // state, a diverted command, picklist labels), in the shapes the services write them.
  void seed_other_families(const std::string& t) {
    for (const std::string& key : {"sy:auth:token:" + t, "sy:auth:suspended:" + t, "sy:recipe:alert:" + t + ":disk-full",
                                   "sy:divert:" + t, "sy:labels:" + t}) {
      ASSERT_TRUE(redis_.checked_command({"SET", key, "1"}).ok());
    }
    ASSERT_TRUE(redis_.checked_command({"ZADD", "sy:recipe:usage-open", "1", t + " agr-1 2026-11"}).ok());
  }

  struct Found {
    std::map<std::string, std::string> owner;  // key -> tenant ("" global)
    std::vector<std::string> unclassified;
  };
  Found scan() {
    Found out;
    std::string cursor = "0";
    do {
      auto r = redis_.checked_command({"SCAN", cursor, "COUNT", "1000"});
      EXPECT_TRUE(r.ok());
      if (!r.ok()) break;
      cursor = r->elements[0].str;
      for (const auto& k : r->elements[1].elements) {
        const auto owner = tenant_keys::owner_of(k.str);
        if (owner) {
          out.owner[k.str] = owner->tenant;
        } else {
          out.unclassified.push_back(k.str);
        }
      }
    } while (cursor != "0");
    return out;
  }
  size_t keys_of(const Found& found, const std::string& tenant) {
    return std::ranges::count_if(found.owner, [&](const auto& kv) { return kv.second == tenant; });
  }
  bool member_of(const std::string& key, const std::string& tenant) {
    auto r = redis_.checked_command({"ZRANGE", key, "0", "-1"});
    EXPECT_TRUE(r.ok());
    for (const auto& m : r.ok() ? r->elements : std::vector<RedisReply>{}) {
      const auto owner = tenant_keys::owner_of_member(key, m.str);
      if (owner && owner->tenant == tenant) return true;
    }
    return false;
  }
  size_t acme_callbacks() {
    size_t n = 0;
    for (const auto& json : stack_.psa().records("connectwise", "callbacks")) {
      n += json.find("\"Switchyard acme ") != std::string::npos;
    }
    return n;
  }
  // As Kubernetes updates a mounted file, then ingest reads it now.
  void write_tenants(const std::string& json) {
    const std::string path = stack_.config().tenants_file;
    std::ofstream(path + ".new") << json;
    std::filesystem::rename(path + ".new", path);
    auto applied = stack_.ingest().tenant_reloader()->reload_now();
    ASSERT_TRUE(applied.ok()) << applied.error().message;
  }
  double metric(const std::string& series) { return metric_value(stack_.ingest().metrics().serialize(), series); }

  AuditRecords audit_;
  PipelineStack stack_{options(&audit_)};
  RedisClient redis_{stack_.redis().settings()};
  http::HttpClient client_;
};

TEST_F(PipelineOffboardTest, LeavesNothingOfTheTenantAndEverythingOfTheOthers) {
  const std::string stored = stack_.psa().upsert_record(
      "connectwise", "tickets", R"({"summary":"Printer offline","board":{"id":1,"name":"Service"},"status":{"id":1,"name":"New"}})");
  auto callback = stack_.post_connectwise_callback(connectwise_ticket_callback(stored));
  ASSERT_TRUE(callback.ok() && callback->status < 300);
  traffic("acme", R"({"command_version":1,"id":"cmd-off-1","tenant":"acme","type":"ticket.upsert",)"
                  R"("payload":{"external_ref":"alert-off-1","title":"Disk full","company_id":1,"priority":"critical"}})");
  traffic("globex", R"({"command_version":1,"id":"cmd-off-2","tenant":"globex","type":"ticket.upsert",)"
                    R"("payload":{"external_ref":"alert-off-2","title":"Backup failed","priority":"high"}})");
  for (const char* id : {"cmd-off-1", "cmd-off-2"}) {
    ASSERT_TRUE(eventually([&] { return !command_result(stack_.kafka().bootstrap(), id, "created").empty(); },
                           std::chrono::seconds(30)))
        << id;
  }
  for (const std::string t : {"acme", "globex", "acme2"}) seed_other_families(t);
  // Nothing is still on its way to Redis for acme when it is offboarded.
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
  // Set-up lists are cached for a minute: read last.
  ASSERT_EQ(call("GET", "/v1/tenants/acme/psa/boards", kReadOnlyToken).status, 200);
  ASSERT_EQ(call("GET", "/v1/tenants/globex/psa/queues", kReadOnlyToken).status, 200);

  const Found before = scan();
  EXPECT_TRUE(before.unclassified.empty()) << "a key offboarding does not know: " << before.unclassified.front();
  EXPECT_GT(keys_of(before, "acme"), 12u);
  EXPECT_GT(keys_of(before, "globex"), 12u);
  ASSERT_EQ(acme_callbacks(), 5u);
  ASSERT_TRUE(member_of("sy:poll-sync:{requests}", "acme"));
  // The keys that will still be there in a minute (leases, rate-limit buckets and the like
  // expire sooner): every one of the others' must stay.
  std::vector<std::string> others, acme_lasting;
  for (const auto& [key, tenant] : before.owner) {
    auto ttl = redis_.checked_command({"PTTL", key});
    if (!ttl.ok() || (ttl->integer != -1 && ttl->integer < 60000)) continue;
    (tenant == "acme" ? acme_lasting : others).push_back(key);
  }

  // Active: refused, and nothing is touched.
  const auto refused = offboard("acme");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("tenant_active"), std::string::npos) << refused.body;
  const Found still = scan();
  for (const std::string& key : acme_lasting) EXPECT_TRUE(still.owner.contains(key)) << key;
  EXPECT_EQ(acme_callbacks(), 5u);
  // Tokens without the admin scope, or not for acme, and ids that cannot be tenants.
  EXPECT_EQ(offboard("acme", kReadOnlyToken).status, 403);
  EXPECT_EQ(offboard("acme", kAcmeReadToken).status, 403);
  EXPECT_EQ(offboard("acme", "").status, 401);
  EXPECT_EQ(offboard("Not_A_Tenant").status, 400);

  // Paused: its callbacks are unregistered and its keys deleted.
  std::string paused = stack_.tenants_json();
  const std::string id = R"("id":"acme")";
  paused.insert(paused.find(id) + id.size(), R"(,"paused":true)");
  write_tenants(paused);
  ASSERT_TRUE(stack_.ingest().tenants().find("acme")->paused);
  const auto done = offboard("acme");
  ASSERT_EQ(done.status, 200) << done.body;
  simdjson::dom::parser parser;
  simdjson::dom::element report = parser.parse(done.body).value();
  EXPECT_EQ(report["outcome"].get_string().value(), "ok") << done.body;
  EXPECT_TRUE(report["configured"].get_bool().value());
  EXPECT_EQ(report["webhooks"]["outcome"].get_string().value(), "unregistered") << done.body;
  // Every key of acme, its sync announcement and its billing period waiting to close (and the
  // rate-limit bucket the unregistering itself spent).
  const int64_t removed = report["keys_removed"].get_int64().value();
  EXPECT_GE(removed, static_cast<int64_t>(acme_lasting.size()) + 2) << done.body;
  EXPECT_LE(removed, static_cast<int64_t>(keys_of(before, "acme")) + 2 + 3) << done.body;
  // (Leases and rate-limit buckets expire within the minute: whether one is left depends on timing.)
  for (const char* family : {"watermarks", "poll_state", "sync_requests", "executed_commands", "echo_marks", "auth",
                             "activity", "lookups", "recipes", "divert", "labels", "webhooks"}) {
    EXPECT_GT(report["removed"][family].get_int64().value(), 0) << family << ": " << done.body;
  }
  EXPECT_EQ(acme_callbacks(), 0u);
  EXPECT_FALSE(stack_.psa().records("autotask", "TicketWebhooks").empty()) << "globex's webhooks stay";

  const Found after = scan();
  EXPECT_EQ(keys_of(after, "acme"), 0u);
  for (const auto& [key, tenant] : after.owner) EXPECT_NE(tenant, "acme") << key;
  for (const std::string& key : others) EXPECT_TRUE(after.owner.contains(key)) << key << " was removed";
  EXPECT_FALSE(member_of("sy:poll-sync:{requests}", "acme"));
  EXPECT_TRUE(member_of("sy:poll-sync:{requests}", "globex"));
  EXPECT_FALSE(member_of("sy:recipe:usage-open", "acme"));
  EXPECT_TRUE(member_of("sy:recipe:usage-open", "acme2"));

  // Twice: nothing more to remove, and no PSA is called (a call would have spent, and so
  // written, acme's rate-limit bucket).
  const auto again = offboard("acme");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find(R"("keys_removed":0)"), std::string::npos) << again.body;
  EXPECT_NE(again.body.find(R"("outcome":"none_registered")"), std::string::npos) << again.body;

  // Removed from the file: what in-flight work left behind is still erased; its webhooks can
  // no longer be looked for, and the report says so.
  ASSERT_TRUE(redis_.checked_command({"SET", "sy:poll:acme:ticket", "2026-12-01T00:00:00Z"}).ok());
  ASSERT_TRUE(redis_.checked_command({"XADD", "sy:activity:{acme}", "*", "record", "{}"}).ok());
  std::string without = stack_.tenants_json();
  const size_t start = without.find(R"({"id":"acme")");
  without.erase(start, without.find(R"({"id":"globex")") - start);
  write_tenants(without);
  ASSERT_EQ(stack_.ingest().tenants().find("acme"), nullptr);
  const auto gone = offboard("acme");
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_NE(gone.body.find(R"("configured":false)"), std::string::npos) << gone.body;
  EXPECT_NE(gone.body.find(R"("outcome":"skipped","reason":"not_configured")"), std::string::npos) << gone.body;
  EXPECT_NE(gone.body.find(R"("keys_removed":2)"), std::string::npos) << gone.body;
  EXPECT_EQ(keys_of(scan(), "acme"), 0u);
  EXPECT_TRUE(stack_.ingest().tenants().find("globex") != nullptr);

  // Audited: who, what, which tenant, the outcome and the counts.
  std::vector<AuditRecord> offboards;
  for (const AuditRecord& r : audit_.all()) {
    if (r.action == "offboard") offboards.push_back(r);
  }
  ASSERT_EQ(offboards.size(), 4u) << "refusals by token or id are not admin actions";
  const std::vector<std::string> outcomes = {"refused", "ok", "ok", "ok"};
  for (size_t i = 0; i < offboards.size(); ++i) {
    EXPECT_EQ(offboards[i].actor, "token:test-admin");
    EXPECT_EQ(offboards[i].tenant, "acme");
    EXPECT_EQ(offboards[i].outcome, outcomes[i]) << i;
  }
  EXPECT_NE(offboards[1].details_json.find(R"("keys_removed":)" + std::to_string(removed)), std::string::npos)
      << offboards[1].details_json;
  EXPECT_NE(offboards[2].details_json.find(R"("keys_removed":0)"), std::string::npos) << offboards[2].details_json;
  EXPECT_EQ(metric(R"(switchyard_ingest_offboard_total{outcome="ok"})"), 3);
  EXPECT_EQ(metric(R"(switchyard_ingest_offboard_total{outcome="refused"})"), 1);
  EXPECT_GT(metric(R"(switchyard_ingest_offboard_removed_keys_total{family="watermarks"})"), 1);
}

}  // namespace
}  // namespace switchyard::testing
