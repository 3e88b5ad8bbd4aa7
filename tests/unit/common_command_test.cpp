#include "common/command.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard {
namespace {

Command full_upsert() {
  TicketUpsert p;
  p.external_ref = "alert-9";
  p.title = "Disk \"C:\" almost full\non FS01 \xE2\x80\x94 92%";
  p.description = "Free space below 8%";
  p.priority = "high";
  p.company_id = "250";
  p.board_id = "5";
  return Command{"cmd-0001", "acme", "2026-11-25T10:00:00Z", p};
}

Command full_close() {
  return Command{"cmd:0002", "acme", "2026-11-25T10:05:00.250Z",
                 TicketClose{"alert-9", std::string("Auto-resolved")}};
}

Command full_billing() {
  BillingLineAdd p;
  p.external_ref = "usage-2026-11";
  p.agreement_id = "31";
  p.description = "Backup storage (GB)";
  p.quantity = 120.5;
  p.unit_price = 0.15;
  p.product_id = "BACKUP-GB";
  p.effective_date = "2026-11-01";
  return Command{"Usage.2026_11", "tenant-2", "2026-11-25T10:00:00+01:00", p};
}

TEST(CommandTest, TypeNamesAndPartitionKey) {
  EXPECT_EQ(command_type(full_upsert()), "ticket.upsert");
  EXPECT_EQ(command_type(full_close()), "ticket.close");
  EXPECT_EQ(command_type(full_billing()), "billing_line.add");
  EXPECT_EQ(command_partition_key(full_upsert()), "acme/alert-9");
  EXPECT_EQ(command_partition_key(full_close()), "acme/alert-9");  // same ticket, same partition
  EXPECT_EQ(command_partition_key(full_billing()), "tenant-2/usage-2026-11");
}

TEST(CommandTest, EveryTypeRoundTrips) {
  for (const Command& original : {full_upsert(), full_close(), full_billing()}) {
    const std::string json = to_json(original);
    auto parsed = command_from_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << json;
    EXPECT_EQ(*parsed, original) << json;
    EXPECT_EQ(to_json(*parsed), json);
  }
}

TEST(CommandTest, MinimalCommandsRoundTripAndOmitUnsetFields) {
  const Command upsert{"c1", "acme", "", TicketUpsert{"r1", "t", {}, {}, {}, {}}};
  const Command close{"c2", "acme", "", TicketClose{"r1", {}}};
  BillingLineAdd line;
  line.external_ref = "r2";
  line.agreement_id = "31";
  line.description = "d";
  line.quantity = 1;
  const Command billing{"c3", "acme", "", line};
  for (const Command& original : {upsert, close, billing}) {
    const std::string json = to_json(original);
    EXPECT_EQ(json.find("issued_at"), std::string::npos) << json;
    auto parsed = command_from_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, original);
  }
  EXPECT_EQ(to_json(upsert),
            R"({"command_version":1,"id":"c1","tenant":"acme","type":"ticket.upsert",)"
            R"("payload":{"external_ref":"r1","title":"t"}})");
}

TEST(CommandTest, ParsesVendorInputWithNumericIdsAndUnknownFields) {
  auto parsed = command_from_json(R"({
    "id": "v-1", "tenant": "acme", "type": "billing_line.add", "sent_by": "rmm",
    "payload": {"external_ref": "u1", "agreement_id": 31, "description": "Seats",
                "quantity": 3, "unit_price": 0, "product_id": 7, "new_in_v1_1": true}
  })");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->issued_at.empty());  // ingest fills it in
  const auto& p = std::get<BillingLineAdd>(parsed->payload);
  EXPECT_EQ(p.agreement_id, "31");
  EXPECT_EQ(p.product_id, std::optional<std::string>("7"));
  EXPECT_DOUBLE_EQ(p.quantity, 3);
  EXPECT_EQ(p.unit_price, std::optional<double>(0.0));  // zero is allowed

  auto upsert = command_from_json(
      R"({"command_version":1,"id":"v-2","tenant":"acme","type":"ticket.upsert",)"
      R"("payload":{"external_ref":"a","title":"x","company_id":250,"board_id":"5"}})");
  ASSERT_TRUE(upsert.ok()) << upsert.error().message;
  EXPECT_EQ(std::get<TicketUpsert>(upsert->payload).company_id, std::optional<std::string>("250"));
}

TEST(CommandTest, TitleLimitCountsCharactersNotBytes) {
  // 255 two-byte characters (510 bytes) is within the limit; 256 is not.
  std::string title;
  for (int i = 0; i < 255; ++i) title += "\xC3\xA9";
  auto json_with = [](const std::string& t) {
    return to_json(Command{"c", "acme", "", TicketUpsert{"r", t, {}, {}, {}, {}}});
  };
  EXPECT_TRUE(command_from_json(json_with(title)).ok());
  auto too_long = command_from_json(json_with(title + "x"));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().message, "payload.title: must be 1 to 255 characters");
}

// A valid command per type, written by hand; each case below breaks one rule.
const std::string kUpsert =
    R"({"command_version":1,"id":"cmd-1","tenant":"acme","type":"ticket.upsert",)"
    R"("issued_at":"2026-11-25T10:00:00Z","payload":{"external_ref":"alert-9","title":"Disk full",)"
    R"("priority":"high","company_id":"250"}})";
const std::string kClose =
    R"({"id":"cmd-2","tenant":"acme","type":"ticket.close","payload":{"external_ref":"alert-9"}})";
const std::string kBilling =
    R"({"id":"cmd-3","tenant":"acme","type":"billing_line.add","payload":{"external_ref":"u1",)"
    R"("agreement_id":"31","description":"Seats","quantity":2,"unit_price":5.5,)"
    R"("effective_date":"2026-11-01"}})";

struct BrokenCase {
  const std::string* base;
  std::string_view from;
  std::string_view to;
  std::string_view code;
  std::string_view message;  // expected prefix
};

TEST(CommandTest, EachRuleHasAFailingCase) {
  for (const auto* valid : {&kUpsert, &kClose, &kBilling}) {
    ASSERT_TRUE(command_from_json(*valid).ok()) << *valid;
  }
  const std::string long_id(129, 'a');
  const std::string long_tenant(65, 'a');
  const std::string id_129 = "\"id\":\"" + long_id + "\"";
  const std::string tenant_65 = "\"tenant\":\"" + long_tenant + "\"";
  const BrokenCase cases[] = {
      // Envelope.
      {&kUpsert, R"("command_version":1)", R"("command_version":2)", "invalid_field",
       "command_version: must be 1"},
      {&kUpsert, R"("command_version":1)", R"("command_version":"1")", "invalid_field",
       "command_version: must be an integer"},
      {&kUpsert, R"("id":"cmd-1",)", "", "missing_field", "id: required"},
      {&kUpsert, R"("id":"cmd-1")", R"("id":"")", "invalid_field", "id: must be 1 to 128"},
      {&kUpsert, R"("id":"cmd-1")", R"("id":"cmd 1")", "invalid_field", "id: must be 1 to 128"},
      {&kUpsert, R"("id":"cmd-1")", R"("id":"cmd/1")", "invalid_field", "id: must be 1 to 128"},
      {&kUpsert, R"("id":"cmd-1")", id_129, "invalid_field", "id: must be 1 to 128"},
      {&kUpsert, R"("id":"cmd-1")", R"("id":1)", "invalid_field", "id: must be a string"},
      {&kUpsert, R"("tenant":"acme",)", "", "missing_field", "tenant: required"},
      {&kUpsert, R"("tenant":"acme")", R"("tenant":"Acme")", "invalid_field",
       "tenant: must be 1 to 64"},
      {&kUpsert, R"("tenant":"acme")", R"("tenant":"ac.me")", "invalid_field",
       "tenant: must be 1 to 64"},
      {&kUpsert, R"("tenant":"acme")", tenant_65, "invalid_field", "tenant: must be 1 to 64"},
      {&kUpsert, R"("type":"ticket.upsert",)", "", "missing_field", "type: required"},
      {&kUpsert, R"("type":"ticket.upsert")", R"("type":"ticket.delete")", "unknown_command_type",
       "type: unknown command type \"ticket.delete\" (known: ticket.upsert, ticket.close, "
       "billing_line.add)"},
      {&kUpsert, R"("issued_at":"2026-11-25T10:00:00Z")", R"("issued_at":"25/11/2026")",
       "invalid_field", "issued_at: must be an RFC 3339 timestamp"},
      {&kUpsert, R"(,"payload":{)", R"(,"body":{)", "missing_field", "payload: required"},
      {&kClose, R"("payload":{"external_ref":"alert-9"})", R"("payload":["alert-9"])",
       "invalid_field", "payload: must be an object"},
      // ticket.upsert.
      {&kUpsert, R"("external_ref":"alert-9",)", "", "missing_field",
       "payload.external_ref: required"},
      {&kUpsert, R"("external_ref":"alert-9")", R"("external_ref":"")", "invalid_field",
       "payload.external_ref: must not be empty"},
      {&kUpsert, R"("title":"Disk full",)", "", "missing_field", "payload.title: required"},
      {&kUpsert, R"("title":"Disk full")", R"("title":"")", "invalid_field",
       "payload.title: must be 1 to 255 characters"},
      {&kUpsert, R"("priority":"high")", R"("priority":"urgent")", "invalid_field",
       "payload.priority: must be one of low, medium, high, critical"},
      {&kUpsert, R"("priority":"high")", R"("priority":"High")", "invalid_field",
       "payload.priority: must be one of"},
      {&kUpsert, R"("company_id":"250")", R"("company_id":2.5)", "invalid_field",
       "payload.company_id: must be a string or an integer"},
      {&kUpsert, R"("company_id":"250")", R"("description":7)", "invalid_field",
       "payload.description: must be a string"},
      // ticket.close.
      {&kClose, R"("external_ref":"alert-9")", R"("ref":"alert-9")", "missing_field",
       "payload.external_ref: required"},
      {&kClose, R"("external_ref":"alert-9")", R"("external_ref":"alert-9","resolution":false)",
       "invalid_field", "payload.resolution: must be a string"},
      // billing_line.add.
      {&kBilling, R"("agreement_id":"31",)", "", "missing_field", "payload.agreement_id: required"},
      {&kBilling, R"("description":"Seats",)", "", "missing_field", "payload.description: required"},
      {&kBilling, R"("description":"Seats")", R"("description":"")", "invalid_field",
       "payload.description: must not be empty"},
      {&kBilling, R"("quantity":2,)", "", "missing_field", "payload.quantity: required"},
      {&kBilling, R"("quantity":2)", R"("quantity":0)", "invalid_field",
       "payload.quantity: must be greater than 0"},
      {&kBilling, R"("quantity":2)", R"("quantity":-1.5)", "invalid_field",
       "payload.quantity: must be greater than 0"},
      {&kBilling, R"("quantity":2)", R"("quantity":"2")", "invalid_field",
       "payload.quantity: must be a number"},
      {&kBilling, R"("unit_price":5.5)", R"("unit_price":-0.01)", "invalid_field",
       "payload.unit_price: must not be negative"},
      {&kBilling, R"("effective_date":"2026-11-01")", R"("effective_date":"2026-11-31")",
       "invalid_field", "payload.effective_date: must be a date (YYYY-MM-DD)"},
      {&kBilling, R"("effective_date":"2026-11-01")", R"("effective_date":"2026-11-01T00:00:00Z")",
       "invalid_field", "payload.effective_date: must be a date (YYYY-MM-DD)"},
  };
  for (const auto& c : cases) {
    std::string json = *c.base;
    const auto at = json.find(c.from);
    ASSERT_NE(at, std::string::npos) << "fixture lacks " << c.from;
    json.replace(at, c.from.size(), c.to);
    auto parsed = command_from_json(json);
    ASSERT_FALSE(parsed.ok()) << "accepted: " << json;
    EXPECT_EQ(parsed.error().code, c.code) << json;
    EXPECT_EQ(parsed.error().message.rfind(c.message, 0), 0u)
        << "message \"" << parsed.error().message << "\" does not start with \"" << c.message
        << "\"";
  }
}

TEST(CommandTest, IdAndTenantBoundariesAreAccepted) {
  const std::string id = std::string(128, 'x');
  const std::string tenant = std::string(64, 'y');
  const std::string json = R"({"id":")" + id + R"(","tenant":")" + tenant +
                           R"(","type":"ticket.close","payload":{"external_ref":"r"}})";
  auto parsed = command_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->id, id);
  EXPECT_EQ(parsed->tenant, tenant);
  EXPECT_TRUE(command_from_json(R"({"id":"A.z_0:9-","tenant":"a_0-z","type":"ticket.close",)"
                                R"("payload":{"external_ref":"r"}})")
                  .ok());
}

TEST(CommandTest, RejectsBrokenJson) {
  for (const char* bad : {"", "{", "[1]", "42", "{\"id\":}"}) {
    auto parsed = command_from_json(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "invalid_json") << bad;
  }
}

TEST(CommandTest, NumbersBeyond64BitIntegersReadBack) {
  // Found by fuzz/command_fuzz.cpp: 5.2e20 was written as a 21-digit integer, which simdjson
  // refuses, so dispatch would have dead-lettered a command that ingest accepted with 202.
  BillingLineAdd line;
  line.external_ref = "u1";
  line.agreement_id = "31";
  line.description = "d";
  for (const double big : {518446744073709551616.0, 1e19, 1.7976931348623157e308}) {
    line.quantity = big;
    line.unit_price = big;
    const Command original{"c", "acme", "", line};
    const std::string json = to_json(original);
    auto parsed = command_from_json(json);
    ASSERT_TRUE(parsed.ok()) << json << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, original) << json;
  }
}

}  // namespace
}  // namespace switchyard
