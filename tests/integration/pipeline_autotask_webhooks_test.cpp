// Autotask webhooks through the whole pipeline: POST/DELETE /v1/tenants/{t}/webhooks registers
// the tenant's four webhooks (TicketWebhooks, CompanyWebhooks, ContactWebhooks,
// ConfigurationItemWebhooks) in the sandbox idempotently, with the tenant's signing secret and
// the mapped fields as "display always" fields; the sandbox's signed callouts then come out of
// normalize as canonical events, a partial one through its fetch job (normalize skips the
// partial envelope instead of dead-lettering it). A deactivation notice has the keeper register
// the webhook again, unless the tenant is paused.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/canonical.h"
#include "common/http_client.h"
#include "common/topics.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

class AutotaskWebhooksPipelineTest : public ::testing::Test {
 protected:
  http::ClientResponse registration(const std::string& method) {
    auto r = client_.send({.method = method,
                           .url = stack_.ingest_api_url() + "/v1/tenants/" + std::string(kAutotaskTenant) + "/webhooks",
                           .headers = {{"Authorization", "Bearer " + std::string(kAdminToken)}},
                           .timeout = std::chrono::milliseconds(15000)});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  }

  // The sandbox's records of a webhook entity, parsed.
  std::vector<std::string> records(const std::string& entity) { return stack_.psa().records("autotask", entity); }

  std::string seed_ticket(const std::string& title) {
    const std::string stored = stack_.psa().upsert_record(
        "autotask", "Tickets", R"({"title":")" + title + R"(","status":1,"priority":2,"queueID":8,"companyID":100})");
    simdjson::dom::parser parser;
    return std::to_string(parser.parse(stored)["id"].get_int64().value());
  }

  std::vector<canonical::Event> canonical_for(const std::string& id) {
    std::vector<canonical::Event> out;
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto event = canonical::event_from_json(m.value);
      if (event && canonical::base_of(event->record).source.id == id &&
          canonical::base_of(event->record).source.psa == "autotask") {
        out.push_back(*event);
      }
    }
    return out;
  }

  PipelineStack stack_{StackOptions{.dispatch = false}};
  http::HttpClient client_;
  const std::string url_ = std::string(kPublicWebhookUrl) + "/v1/webhooks/autotask/" + std::string(kAutotaskTenant);
};

TEST_F(AutotaskWebhooksPipelineTest, RegistersTheFourWebhooksOnceWithTheirFieldsAndRemovesThem) {
  const auto first = registration("POST");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find(R"("changed":true)"), std::string::npos) << first.body;
  for (const char* entity : {"TicketWebhooks", "CompanyWebhooks", "ContactWebhooks", "ConfigurationItemWebhooks"}) {
    const auto hooks = records(entity);
    ASSERT_EQ(hooks.size(), 1u) << entity;
    simdjson::dom::parser parser;
    auto hook = parser.parse(hooks[0]);
    EXPECT_EQ(std::string(hook["webhookUrl"].get_string().value()), url_) << entity;
    EXPECT_EQ(std::string(hook["deactivationUrl"].get_string().value()), url_) << entity;
    EXPECT_EQ(std::string(hook["secretKey"].get_string().value()), sandbox::AutotaskCredentials{}.webhook_secret);
    EXPECT_TRUE(hook["isActive"].get_bool().value()) << entity;
    EXPECT_TRUE(hook["isSubscribedToUpdateEvents"].get_bool().value()) << entity;
    EXPECT_NE(first.body.find(std::string(entity) + "/"), std::string::npos) << first.body;
  }
  const auto fields = records("TicketWebhookFields");
  ASSERT_GE(fields.size(), 10u) << "the mapped ticket fields";
  for (const auto& f : fields) {
    EXPECT_NE(f.find(R"("isDisplayAlwaysField":true)"), std::string::npos) << f;
  }

  const auto again = registration("POST");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find(R"("changed":false)"), std::string::npos) << again.body;
  EXPECT_EQ(records("TicketWebhooks").size(), 1u);
  EXPECT_EQ(records("TicketWebhookFields").size(), fields.size());

  // Switched off at the PSA: registering again switches it on.
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(records("TicketWebhooks")[0])["id"].get_int64().value());
  stack_.psa().upsert_record("autotask", "TicketWebhooks", R"({"id":)" + id + R"(,"isActive":false})");
  const auto revived = registration("POST");
  EXPECT_NE(revived.body.find(R"("changed":true)"), std::string::npos) << revived.body;
  EXPECT_NE(records("TicketWebhooks")[0].find(R"("isActive":true)"), std::string::npos);

  const auto removed = registration("DELETE");
  ASSERT_EQ(removed.status, 200) << removed.body;
  for (const char* entity : {"TicketWebhooks", "CompanyWebhooks", "ContactWebhooks", "ConfigurationItemWebhooks",
                             "TicketWebhookFields"}) {
    EXPECT_TRUE(records(entity).empty()) << entity;
  }
  EXPECT_EQ(registration("DELETE").status, 200) << "twice is fine";
}

// Autotask calls the deactivationUrl when it switches a webhook off: the keeper registers it
// again at once, except for a paused tenant, which it leaves alone like the periodic pass does.
TEST_F(AutotaskWebhooksPipelineTest, ADeactivationNoticeRegistersAgainUnlessTheTenantIsPaused) {
  ASSERT_EQ(registration("POST").status, 200);
  const std::string hook_url = stack_.ingest_webhook_url() + "/v1/webhooks/autotask/" + std::string(kAutotaskTenant);
  simdjson::dom::parser parser;
  const std::string id = std::to_string(parser.parse(records("TicketWebhooks")[0])["id"].get_int64().value());
  const auto switch_off = [&] {
    stack_.psa().upsert_record("autotask", "TicketWebhooks", R"({"id":)" + id + R"(,"isActive":false})");
  };
  const auto active = [&] { return records("TicketWebhooks")[0].find(R"("isActive":true)") != std::string::npos; };
  const auto set_paused = [&](bool paused) {
    std::string json = stack_.tenants_json();
    const std::string at = R"("id":")" + std::string(kAutotaskTenant) + "\"";
    if (paused) json.insert(json.find(at) + at.size(), R"(,"paused":true)");
    const std::string path = stack_.config().tenants_file;
    std::ofstream(path + ".new") << json;
    std::filesystem::rename(path + ".new", path);
    auto applied = stack_.ingest().tenant_reloader()->reload_now();
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    ASSERT_EQ(stack_.ingest().tenants().find(std::string(kAutotaskTenant))->paused, paused);
  };

  set_paused(true);
  switch_off();
  auto status = stack_.psa().fire_webhook("autotask", hook_url, "ticket", "0", "deactivated");
  ASSERT_TRUE(status.ok() && *status == 202);
  std::this_thread::sleep_for(2s);
  EXPECT_FALSE(active()) << "a paused tenant's webhook was registered again";

  set_paused(false);
  status = stack_.psa().fire_webhook("autotask", hook_url, "ticket", "0", "deactivated");
  ASSERT_TRUE(status.ok() && *status == 202);
  EXPECT_TRUE(eventually(active, 20s)) << "the keeper did not register the switched-off webhook again";
}

TEST_F(AutotaskWebhooksPipelineTest, RegisteredCalloutsBecomeCanonicalEventsPartialOnesThroughTheirFetch) {
  ASSERT_EQ(registration("POST").status, 200);
  const std::string hook_url = stack_.ingest_webhook_url() + "/v1/webhooks/autotask/" + std::string(kAutotaskTenant);

  // A whole callout: the registered fields, title included.
  const std::string whole = seed_ticket("Whole callout");
  auto status = stack_.psa().fire_webhook("autotask", hook_url, "ticket", whole, "updated");
  ASSERT_TRUE(status.ok() && *status == 202);

  // A partial callout (the changed status only): fetched, then mapped.
  const std::string partial = seed_ticket("Partial callout");
  status = stack_.psa().fire_webhook("autotask", hook_url, "ticket", partial, "updated_partial");
  ASSERT_TRUE(status.ok() && *status == 202);

  std::vector<canonical::Event> events;
  ASSERT_TRUE(eventually([&] { return !(events = canonical_for(partial)).empty(); }, 30s))
      << "the partial callout's record never reached the canonical topic";
  EXPECT_EQ(std::get<canonical::Ticket>(events[0].record).title, "Partial callout");
  ASSERT_TRUE(eventually([&] { return !(events = canonical_for(whole)).empty(); }, 10s));
  EXPECT_EQ(std::get<canonical::Ticket>(events[0].record).title, "Whole callout");
  EXPECT_EQ(events[0].origin, "webhook");

  // normalize skipped the partial envelope (counted), and dead-lettered nothing.
  EXPECT_EQ(metric_value(stack_.normalize().metrics().serialize(),
                         R"(switchyard_normalize_superseded_total{tenant="globex"})"),
            1);
  EXPECT_TRUE(read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kRawDeadLetter)).empty());
}

}  // namespace
}  // namespace switchyard::testing
