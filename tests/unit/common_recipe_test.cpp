// Recipe commands (common/recipe.h), billing periods in a time zone (common/usage_period.h) and
// the tenants' recipe settings (common/recipe_settings.h).
#include <gtest/gtest.h>

#include <simdjson.h>

#include "common/recipe.h"
#include "common/recipe_settings.h"
#include "common/time_format.h"
#include "common/usage_period.h"

namespace switchyard {
namespace {

std::string with(const std::string& type, const std::string& payload) {
  return R"({"id":"r-1","tenant":"acme","type":")" + type + R"(","payload":)" + payload + "}";
}

TEST(RecipeCommand, ReadsEachTypeAndWritesItBack) {
  const std::string bodies[] = {
      with("alert.raised", R"({"alert_key":"disk:srv01","title":"Disk full","severity":"major","board_id":4,
                              "occurred_at":"2026-11-30T08:00:00Z"})"),
      with("alert.resolved", R"({"alert_key":"disk:srv01","resolution":"cleaned"})"),
      with("usage.recorded", R"({"agreement_id":"200","product_id":"backup-gb","quantity":2.5,
                                "occurred_at":"2026-11-30T08:00:00Z"})"),
      with("usage.period_closed", R"({"agreement_id":200,"period":"2026-11"})"),
  };
  for (const auto& body : bodies) {
    auto r = recipe_from_json(body);
    ASSERT_TRUE(r.ok()) << body << ": " << r.error().message;
    auto again = recipe_from_json(to_json(*r));
    ASSERT_TRUE(again.ok()) << to_json(*r);
    EXPECT_EQ(*again, *r);
  }
  auto raised = recipe_from_json(bodies[0]);
  EXPECT_EQ(recipe_type(*raised), "alert.raised");
  EXPECT_EQ(std::get<AlertRaised>(raised->payload).board_id, "4");
  EXPECT_EQ(recipe_partition_key(*raised), "acme/alert:disk:srv01");
  EXPECT_EQ(recipe_partition_key(*recipe_from_json(bodies[3])), "acme/agreement:200");
  EXPECT_EQ(recipe_subject(*recipe_from_json(bodies[2])), "200");
}

TEST(RecipeCommand, RefusesBadFieldsNamingThem) {
  const std::pair<std::string, std::string> cases[] = {
      {with("alert.raised", R"({"alert_key":"a b","title":"x","severity":"high"})"), "payload.alert_key"},
      {with("alert.raised", R"({"alert_key":"a","title":"","severity":"high"})"), "payload.title"},
      {with("alert.raised", R"({"alert_key":"a","title":"x","severity":"High!"})"), "payload.severity"},
      {with("alert.raised", R"({"alert_key":"a","title":"x"})"), "payload.severity"},
      {with("usage.recorded", R"({"agreement_id":"200","quantity":0,"occurred_at":"2026-11-30T08:00:00Z"})"),
       "payload.quantity"},
      {with("usage.recorded", R"({"agreement_id":"200","quantity":1,"occurred_at":"yesterday"})"), "payload.occurred_at"},
      {with("usage.recorded", R"({"agreement_id":"200","quantity":1})"), "payload.occurred_at"},
      {with("usage.period_closed", R"({"agreement_id":"200","period":"2026-13"})"), "payload.period"},
      {with("usage.period_closed", R"({"agreement_id":"","period":"2026-12"})"), "payload.agreement_id"},
  };
  for (const auto& [body, field] : cases) {
    auto r = recipe_from_json(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
  }
  auto unknown = recipe_from_json(with("alert.exploded", "{}"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_command_type");
  EXPECT_NE(unknown.error().message.find("ticket.upsert"), std::string::npos) << "names the commands too";
  EXPECT_NE(unknown.error().message.find("usage.period_closed"), std::string::npos);
}

std::chrono::system_clock::time_point at(const char* text) { return *parse_rfc3339(text); }

TEST(UsagePeriod, MonthsFollowTheTenantsTimeZone) {
  EXPECT_EQ(*usage::period_of(at("2025-03-31T22:30:00Z"), ""), "2025-03");
  EXPECT_EQ(*usage::period_of(at("2025-03-31T22:30:00Z"), "Europe/Berlin"), "2025-04");  // 00:30 summer time
  EXPECT_EQ(*usage::period_of(at("2025-03-31T21:30:00Z"), "Europe/Berlin"), "2025-03");
  EXPECT_EQ(*usage::period_of(at("2025-01-01T03:00:00Z"), "America/New_York"), "2024-12");
  // Berlin's April starts at 22:00 UTC (summer time), its November at 23:00 UTC (winter time).
  EXPECT_EQ(format_rfc3339_utc_seconds(*usage::period_end("2025-03", "Europe/Berlin")), "2025-03-31T22:00:00Z");
  EXPECT_EQ(format_rfc3339_utc_seconds(*usage::period_end("2025-10", "Europe/Berlin")), "2025-10-31T23:00:00Z");
  EXPECT_EQ(format_rfc3339_utc_seconds(*usage::period_end("2025-12", "")), "2026-01-01T00:00:00Z");
  EXPECT_EQ(usage::next_period("2025-12"), "2026-01");
  EXPECT_EQ(usage::last_day("2024-02"), "2024-02-29");
  EXPECT_EQ(usage::last_day("2025-04"), "2025-04-30");
  EXPECT_FALSE(usage::check_time_zone("Mars/Olympus_Mons").ok());
  EXPECT_FALSE(usage::period_of(at("2025-03-31T22:30:00Z"), "Nowhere").ok());
}

Result<RecipeSettings> settings(const std::string& json) {
  static simdjson::dom::parser parser;
  return parse_recipe_settings(parser.parse(json).get_object().value(), "tenants[0].recipes");
}

TEST(RecipeSettings, DefaultsAndOverrides) {
  auto s = settings(R"({"alert_ticket":{"after_resolved":"reopen","severity_priority":{"p1":"critical","warning":"high"},
                         "board_id":7},"usage_billing":{"close_after_minutes":0,"description":"Backup usage"}})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->alert_ticket.after_resolved, AlertTicketSettings::AfterResolved::Reopen);
  EXPECT_EQ(priority_for_severity(s->alert_ticket, "p1"), "critical");
  EXPECT_EQ(priority_for_severity(s->alert_ticket, "warning"), "high");      // the tenant's entry wins
  EXPECT_EQ(priority_for_severity(s->alert_ticket, "disaster"), "critical");  // a default
  EXPECT_EQ(priority_for_severity(s->alert_ticket, "odd"), "medium");
  EXPECT_EQ(s->alert_ticket.board_id, "7");
  EXPECT_EQ(s->usage_billing.close_after.count(), 0);
  EXPECT_EQ(s->usage_billing.description, "Backup usage");
  EXPECT_EQ(settings("{}")->alert_ticket.after_resolved, AlertTicketSettings::AfterResolved::NewTicket);

  const std::pair<std::string, std::string> bad[] = {
      {R"({"alert_ticket":{"after_resolved":"ignore"}})", "tenants[0].recipes.alert_ticket.after_resolved"},
      {R"({"alert_ticket":{"severity_priority":{"p1":"urgent"}}})", "tenants[0].recipes.alert_ticket.severity_priority.p1"},
      {R"({"usage_billing":{"close_after_minutes":-1}})", "tenants[0].recipes.usage_billing.close_after_minutes"},
      {R"({"alert_tickets":{}})", "tenants[0].recipes.alert_tickets"},
  };
  for (const auto& [json, field] : bad) {
    auto r = settings(json);
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace switchyard
