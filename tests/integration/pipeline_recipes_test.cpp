// Recipes end to end over the real parts (docs/recipes.md): recipe commands sent to ingest are
// expanded by dispatch, with their state in Redis, into the commands that write the Autotask
// sandbox. Alert → Ticket: raise, repeat, resolve, raise again (reopen or a new ticket).
// Usage → Billing: sums per billing period across a boundary in the tenant's time zone, a
// period closed twice, late usage as an adjustment, and the scheduled close.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <map>
#include <thread>

#include "common/http_client.h"
#include "common/topics.h"
#include "support/command_results.h"
#include "support/eventually.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

// Autotask's contract 200 (company 100) in the sandbox.
constexpr std::string_view kAgreement = "200";

std::string recipe(const std::string& id, const std::string& type, const std::string& payload) {
  return R"({"command_version":1,"id":")" + id + R"(","tenant":"globex","type":")" + type + R"(","payload":)" +
         payload + "}";
}

std::string raise(const std::string& id, const std::string& key) {
  return recipe(id, "alert.raised",
                R"({"alert_key":")" + key +
                    R"(","title":"Disk C: 95% full on SRV01","severity":"disaster","occurred_at":"2026-11-30T08:00:00Z"})");
}

std::string resolve(const std::string& id, const std::string& key) {
  return recipe(id, "alert.resolved", R"({"alert_key":")" + key + R"(","resolution":"Old logs removed"})");
}

std::string usage(const std::string& id, double quantity, const std::string& at) {
  return recipe(id, "usage.recorded",
                R"({"agreement_id":")" + std::string(kAgreement) + R"(","quantity":)" + std::to_string(quantity) +
                    R"(,"occurred_at":")" + at + R"("})");
}

std::string close(const std::string& id, const std::string& period) {
  return recipe(id, "usage.period_closed",
                R"({"agreement_id":")" + std::string(kAgreement) + R"(","period":")" + period + R"("})");
}

class RecipesTest : public ::testing::Test {
 protected:
  static StackOptions options(std::string extra, std::chrono::milliseconds close_interval = 0ms) {
    StackOptions o;
    o.normalize = false;
    o.autotask_tenant_extra = std::move(extra);
    o.usage_close_interval = close_interval;
    return o;
  }
  explicit RecipesTest(StackOptions o) : stack_(std::move(o)) {}

  int post(const std::string& body) {
    auto r = client_.send({.method = "POST", .url = stack_.ingest_api_url() + "/v1/tenants/globex/commands",
                           .headers = {{"Content-Type", "application/json"},
                                       {"Authorization", "Bearer " + std::string(kApiToken)}},
                           .body = body});
    EXPECT_TRUE(r.ok());
    if (r.ok() && r->status != 202) ADD_FAILURE() << r->body;
    return r.ok() ? r->status : 0;
  }

  // Posts and waits for the recipe command's result, then for dispatch to finish what it made.
  std::string run(const std::string& body) {
    simdjson::dom::parser parser;
    const std::string id(parser.parse(body)["id"].get_string().value());
    EXPECT_EQ(post(body), 202);
    std::string result;
    EXPECT_TRUE(eventually([&] { return !(result = result_of(id, "expanded")).empty(); }, 30s)) << id;
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
    return result;
  }

  std::string result_of(const std::string& command_id, const std::string& outcome) {
    return command_result(stack_.kafka().bootstrap(), command_id, outcome);
  }

  // The Autotask records of `entity` whose `field` is `value`, as JSON.
  std::vector<std::string> records(const std::string& entity, const std::string& field, const std::string& value) {
    std::vector<std::string> out;
    simdjson::dom::parser parser;
    for (const auto& json : stack_.psa().records("autotask", entity)) {
      simdjson::dom::element e = parser.parse(json);
      std::string text;
      std::string_view s;
      int64_t n = 0;
      if (e[field].get(s) == simdjson::SUCCESS) text = s;
      else if (e[field].get(n) == simdjson::SUCCESS) text = std::to_string(n);
      if (text == value) out.push_back(json);
    }
    return out;
  }

  static int64_t number(const std::string& json, const char* field) {
    simdjson::dom::parser parser;
    return parser.parse(json)[field].get_int64().value();
  }
  static double quantity(const std::string& json) {
    simdjson::dom::parser parser;
    return parser.parse(json)["unitQuantity"].get_double().value();
  }

  std::string ticket(const std::string& ref) {
    auto t = records("Tickets", "externalID", ref);
    return t.size() == 1 ? t[0] : "";
  }
  size_t notes_on(const std::string& ticket_json) {
    return records("TicketNotes", "ticketID", std::to_string(number(ticket_json, "id"))).size();
  }
  // The usage billing lines on contract 200, by the reference Autotask keeps.
  std::map<std::string, double> charges() {
    std::map<std::string, double> out;
    simdjson::dom::parser parser;
    for (const auto& json : records("ContractCharges", "contractID", std::string(kAgreement))) {
      std::string_view name;
      if (parser.parse(json)["name"].get(name) == simdjson::SUCCESS && name.starts_with("Usage")) {
        out[std::string(name)] += quantity(json);
      }
    }
    return out;
  }

  PipelineStack stack_;
  http::HttpClient client_;
};

class AlertReopenTest : public RecipesTest {
 protected:
  AlertReopenTest() : RecipesTest(options(R"(,"recipes":{"alert_ticket":{"after_resolved":"reopen"}})")) {}
};

TEST_F(AlertReopenTest, RaiseRepeatResolveAndRaiseAgainReopensTheOneTicket) {
  const std::string ref = "alert:disk-srv01";
  std::string result = run(raise("a-1", "disk-srv01"));
  EXPECT_NE(result.find(R"("commands":["a-1.open"])"), std::string::npos) << result;
  const std::string opened = ticket(ref);
  ASSERT_FALSE(opened.empty()) << "no single ticket for the alert";
  // "disaster" is critical by the default severity table: the same priority a critical upsert gets.
  EXPECT_NE(opened.find("Disk C: 95% full on SRV01"), std::string::npos);
  const int64_t new_status = number(opened, "status");

  // Repeats add notes to the same ticket, and are counted.
  run(raise("a-2", "disk-srv01"));
  result = run(raise("a-3", "disk-srv01"));
  EXPECT_NE(result.find("repeat 2"), std::string::npos) << result;
  // A redelivered repeat is not a third one.
  result = run(raise("a-3", "disk-srv01"));
  EXPECT_NE(result.find("repeat 2"), std::string::npos) << result;
  EXPECT_EQ(records("Tickets", "externalID", ref).size(), 1u);
  EXPECT_EQ(notes_on(ticket(ref)), 2u);

  // Resolved: a resolution note, and the ticket closed.
  result = run(resolve("a-4", "disk-srv01"));
  EXPECT_NE(result.find(R"("commands":["a-4.resolution","a-4.close"])"), std::string::npos) << result;
  EXPECT_EQ(notes_on(ticket(ref)), 3u);
  const int64_t closed_status = number(ticket(ref), "status");
  EXPECT_NE(closed_status, new_status) << "the ticket was not closed";

  // Raised again: the same ticket is reopened, with a note saying so.
  result = run(raise("a-5", "disk-srv01"));
  EXPECT_NE(result.find(R"("commands":["a-5.reopen","a-5.reopen-note"])"), std::string::npos) << result;
  EXPECT_EQ(records("Tickets", "externalID", ref).size(), 1u);
  EXPECT_EQ(number(ticket(ref), "status"), new_status);
  EXPECT_EQ(notes_on(ticket(ref)), 4u);
  // Every command the recipes made was created once, never dead-lettered.
  EXPECT_TRUE(result_of("a-5.reopen", "dead_lettered").empty());
  EXPECT_FALSE(result_of("a-4.close", "updated").empty() && result_of("a-4.close", "created").empty());
}

class AlertNewTicketTest : public RecipesTest {
 protected:
  AlertNewTicketTest() : RecipesTest(options("")) {}
};

TEST_F(AlertNewTicketTest, RaisedAgainAfterResolvedOpensASecondTicketByDefault) {
  // Resolving an alert that has no open ticket does nothing.
  std::string result = run(resolve("b-0", "cpu-srv02"));
  EXPECT_NE(result.find("nothing to do"), std::string::npos) << result;
  EXPECT_EQ(result.find(R"("commands")"), std::string::npos) << result;

  run(raise("b-1", "cpu-srv02"));
  run(resolve("b-2", "cpu-srv02"));
  result = run(raise("b-3", "cpu-srv02"));
  EXPECT_NE(result.find(R"("commands":["b-3.open"])"), std::string::npos) << result;
  EXPECT_FALSE(ticket("alert:cpu-srv02").empty());
  EXPECT_FALSE(ticket("alert:cpu-srv02:2").empty()) << "no second ticket after the alert came back";
  EXPECT_EQ(notes_on(ticket("alert:cpu-srv02:2")), 0u);
}

class UsageBillingTest : public RecipesTest {
 protected:
  UsageBillingTest() : RecipesTest(options(R"(,"billing_timezone":"Europe/Berlin")")) {}
};

TEST_F(UsageBillingTest, UsageIsSummedPerPeriodInTheTenantsTimeZoneAndBilledOnce) {
  // 2025-03-31 23:30 and 2025-04-01 00:30 in Berlin (summer time): March and April.
  run(usage("u-1", 3, "2025-03-15T12:00:00Z"));
  run(usage("u-2", 2, "2025-03-31T21:30:00Z"));
  run(usage("u-3", 5, "2025-03-31T22:30:00Z"));
  run(usage("u-3", 5, "2025-03-31T22:30:00Z"));  // redelivered: counted once
  std::string result = run(close("c-1", "2025-03"));
  EXPECT_NE(result.find("1 billing line"), std::string::npos) << result;
  EXPECT_EQ(charges(), (std::map<std::string, double>{{"Usage 2025-03", 5}}));

  // Closed twice (or the close redelivered): the same line, not a second one.
  result = run(close("c-2", "2025-03"));
  EXPECT_NE(result.find("1 billing line"), std::string::npos) << result;
  EXPECT_EQ(charges(), (std::map<std::string, double>{{"Usage 2025-03", 5}}));

  // Late usage for March goes to an adjustment line in April.
  result = run(usage("u-4", 4, "2025-03-20T10:00:00Z"));
  EXPECT_NE(result.find("as an adjustment"), std::string::npos) << result;
  run(close("c-3", "2025-04"));
  EXPECT_EQ(charges(), (std::map<std::string, double>{{"Usage 2025-03", 5},
                                                       {"Usage 2025-04", 5},
                                                       {"Usage 2025-04 (adjustment for 2025-03)", 4}}));
}

class ScheduledCloseTest : public RecipesTest {
 protected:
  ScheduledCloseTest() : RecipesTest(options("", 200ms)) {}
};

TEST_F(ScheduledCloseTest, APeriodThatEndedIsClosedOnSchedule) {
  // June 2025 ended long ago: the closer closes it on its next pass, with nobody asking.
  run(usage("s-1", 7, "2025-06-10T09:00:00Z"));
  const std::map<std::string, double> june{{"Usage 2025-06", 7}};
  ASSERT_TRUE(eventually([&] { return charges() == june; }, 30s)) << "the ended period was not closed";
  // Usage for June sent after that is billed in July as an adjustment, and July (ended too)
  // closes on schedule as well.
  run(usage("s-2", 1.5, "2025-06-11T09:00:00Z"));
  const std::map<std::string, double> both{{"Usage 2025-06", 7}, {"Usage 2025-07 (adjustment for 2025-06)", 1.5}};
  ASSERT_TRUE(eventually([&] { return charges() == both; }, 30s));
  // However often the closer runs, each line exists once (a second would double its sum).
  std::this_thread::sleep_for(1s);
  ASSERT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-dispatch", std::string(topics::kCommands)));
  EXPECT_EQ(charges(), both);
}

}  // namespace
}  // namespace switchyard::testing
