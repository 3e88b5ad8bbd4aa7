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
  p.priority = FieldChoice::canonical("high");
  p.company_id = "250";
  p.board_id = "5";
  p.status = FieldChoice::canonical("in_progress");
  p.type = FieldChoice::label("Incident \"urgent\" \xC3\xA9");
  p.contact_id = "300";
  return Command{"cmd-0001", "acme", "2026-11-25T10:00:00Z", p};
}

Command full_note() {
  return Command{"cmd-0003", "acme", "2026-11-25T10:06:00Z",
                 TicketNoteAdd{"alert-9", "note:1.a_b-c", "Disk cleaned up.\nFree space 41%.",
                               TicketNoteAdd::Visibility::Public}};
}

Command full_configuration() {
  ConfigurationUpsert p;
  p.external_ref = "device-77";
  p.name = "FS01 \xE2\x80\x94 file server";
  p.company_id = "100";
  p.type = FieldChoice::id("2");
  p.serial_number = "SN-123";
  p.purchase_date = "2024-01-10";
  p.install_date = "2024-02-01";
  p.warranty_expiry_date = "2027-01-10";
  p.last_seen_at = "2026-11-25T09:59:00Z";
  p.vendor_ref = ConfigurationUpsert::VendorLink{"dev-77", std::string("https://rmm.example.com/devices/77?x=1")};
  return Command{"cfg-1", "acme", "", p};
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
  EXPECT_EQ(command_type(full_note()), "ticket.note");
  EXPECT_EQ(command_type(full_configuration()), "configuration.upsert");
  EXPECT_EQ(command_partition_key(full_upsert()), "acme/alert-9");
  EXPECT_EQ(command_partition_key(full_note()), "acme/alert-9");  // a note follows its ticket
  EXPECT_EQ(command_partition_key(full_configuration()), "acme/device-77");
  EXPECT_EQ(command_partition_key(full_close()), "acme/alert-9");  // same ticket, same partition
  EXPECT_EQ(command_partition_key(full_billing()), "tenant-2/usage-2026-11");
}

TEST(CommandTest, EveryTypeRoundTrips) {
  for (const Command& original : {full_upsert(), full_close(), full_billing(), full_note(), full_configuration()}) {
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
  const Command note{"c4", "acme", "", TicketNoteAdd{"r1", "n1", "x", TicketNoteAdd::Visibility::Internal}};
  ConfigurationUpsert device;
  device.external_ref = "d1";
  device.name = "n";
  const Command configuration{"c5", "acme", "", device};
  for (const Command& original : {upsert, close, billing, note, configuration}) {
    const std::string json = to_json(original);
    EXPECT_EQ(json.find("issued_at"), std::string::npos) << json;
    auto parsed = command_from_json(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, original);
  }
  EXPECT_EQ(to_json(upsert),
            R"({"command_version":1,"id":"c1","tenant":"acme","type":"ticket.upsert",)"
            R"("payload":{"external_ref":"r1","title":"t"}})");
  EXPECT_EQ(to_json(configuration),
            R"({"command_version":1,"id":"c5","tenant":"acme","type":"configuration.upsert",)"
            R"("payload":{"external_ref":"d1","name":"n"}})");
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

const std::string kNote =
    R"({"id":"cmd-4","tenant":"acme","type":"ticket.note","payload":{"external_ref":"alert-9",)"
    R"("note_ref":"n-1","text":"Rebooted","visibility":"public"}})";
const std::string kConfiguration =
    R"({"id":"cmd-5","tenant":"acme","type":"configuration.upsert","payload":{"external_ref":"dev-1",)"
    R"("name":"FS01","type":"server","serial_number":"SN1","install_date":"2024-02-01",)"
    R"("last_seen_at":"2026-11-25T10:00:00Z","vendor_ref":{"id":"d1","url":"https://rmm.example/d1"}}})";
const std::string kUpsertV11 =
    R"({"id":"cmd-6","tenant":"acme","type":"ticket.upsert","payload":{"external_ref":"alert-9",)"
    R"("title":"t","status":"in_progress","type":{"label":"Incident"},"priority":{"id":4},"contact_id":300}})";

struct BrokenCase {
  const std::string* base;
  std::string_view from;
  std::string_view to;
  std::string_view code;
  std::string_view message;  // expected prefix
};

TEST(CommandTest, EachRuleHasAFailingCase) {
  for (const auto* valid : {&kUpsert, &kClose, &kBilling, &kNote, &kConfiguration, &kUpsertV11}) {
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
       "billing_line.add, ticket.note, configuration.upsert)"},
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
      // ticket.upsert's choices and contact.
      {&kUpsertV11, R"("status":"in_progress")", R"("status":"In Progress")", "invalid_field",
       "payload.status: must be 1 to 64 characters of a-z 0-9 _ -"},
      {&kUpsertV11, R"("status":"in_progress")", R"("status":7)", "invalid_field",
       "payload.status: must be a string, {\"label\": ...} or {\"id\": ...}"},
      {&kUpsertV11, R"({"label":"Incident"})", R"({"label":""})", "invalid_field",
       "payload.type.label: must be 1 to 100 characters"},
      {&kUpsertV11, R"({"label":"Incident"})", R"({"label":"a\nb"})", "invalid_field",
       "payload.type.label: must be 1 to 100 characters, without control characters"},
      {&kUpsertV11, R"({"label":"Incident"})", R"({"label":"Incident","id":2})", "invalid_field",
       "payload.type: must have exactly one of label, id"},
      {&kUpsertV11, R"({"label":"Incident"})", R"({"name":"Incident"})", "invalid_field",
       "payload.type: must have exactly one of label, id"},
      {&kUpsertV11, R"({"id":4})", R"({"id":4.5})", "invalid_field",
       "payload.priority.id: must be a string or an integer"},
      {&kUpsertV11, R"({"id":4})", R"({"id":""})", "invalid_field", "payload.priority.id: must not be empty"},
      {&kUpsertV11, R"("contact_id":300)", R"("contact_id":true)", "invalid_field",
       "payload.contact_id: must be a string or an integer"},
      // ticket.note.
      {&kNote, R"("external_ref":"alert-9",)", "", "missing_field", "payload.external_ref: required"},
      {&kNote, R"("note_ref":"n-1",)", "", "missing_field", "payload.note_ref: required"},
      {&kNote, R"("note_ref":"n-1")", R"("note_ref":"n 1")", "invalid_field",
       "payload.note_ref: must be 1 to 128 characters of A-Z a-z 0-9 . _ : -"},
      {&kNote, R"("note_ref":"n-1")", R"("note_ref":"")", "invalid_field", "payload.note_ref: must be 1 to 128"},
      {&kNote, R"("text":"Rebooted")", R"("text":"")", "invalid_field", "payload.text: must be 1 to 8000 characters"},
      {&kNote, R"("text":"Rebooted",)", "", "missing_field", "payload.text: required"},
      {&kNote, R"("visibility":"public")", R"("visibility":"customer")", "invalid_field",
       "payload.visibility: must be internal or public"},
      // configuration.upsert.
      {&kConfiguration, R"("name":"FS01",)", "", "missing_field", "payload.name: required"},
      {&kConfiguration, R"("name":"FS01")", R"("name":"")", "invalid_field", "payload.name: must be 1 to 200 characters"},
      {&kConfiguration, R"("serial_number":"SN1")", R"("serial_number":"")", "invalid_field",
       "payload.serial_number: must be 1 to 100 characters"},
      {&kConfiguration, R"("install_date":"2024-02-01")", R"("install_date":"2024-02-30")", "invalid_field",
       "payload.install_date: must be a date (YYYY-MM-DD)"},
      {&kConfiguration, R"("install_date":"2024-02-01")", R"("warranty_expiry_date":"01/02/2027")", "invalid_field",
       "payload.warranty_expiry_date: must be a date (YYYY-MM-DD)"},
      {&kConfiguration, R"("install_date":"2024-02-01")", R"("purchase_date":"2024")", "invalid_field",
       "payload.purchase_date: must be a date (YYYY-MM-DD)"},
      {&kConfiguration, R"("last_seen_at":"2026-11-25T10:00:00Z")", R"("last_seen_at":"yesterday")", "invalid_field",
       "payload.last_seen_at: must be an RFC 3339 timestamp"},
      {&kConfiguration, R"("type":"server")", R"("type":"Server")", "invalid_field", "payload.type: must be 1 to 64"},
      {&kConfiguration, R"({"id":"d1",)", R"({)", "missing_field", "payload.vendor_ref.id: required"},
      {&kConfiguration, R"("url":"https://rmm.example/d1")", R"("url":"javascript:void")", "invalid_field",
       "payload.vendor_ref.url: must be an http(s) URL of at most 2048 characters"},
      {&kConfiguration, R"("url":"https://rmm.example/d1")", R"("url":"https://rmm.example/a b")", "invalid_field",
       "payload.vendor_ref.url: must be an http(s) URL"},
      {&kConfiguration, R"("vendor_ref":{)", R"("vendor_ref":"d1","x":{)", "invalid_field",
       "payload.vendor_ref: must be an object"},
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

TEST(CommandTest, V1UpsertReadsAndWritesAsBefore) {
  // A v1.0 command (plain-string priority, no new fields) keeps its meaning and its bytes.
  auto parsed = command_from_json(kUpsert);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& p = std::get<TicketUpsert>(parsed->payload);
  EXPECT_EQ(p.priority, FieldChoice::canonical("high"));
  EXPECT_FALSE(p.status || p.type || p.contact_id);
  EXPECT_EQ(to_json(*parsed), kUpsert);
}

TEST(CommandTest, UpsertChoicesKeepTheirForm) {
  auto parsed = command_from_json(kUpsertV11);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& p = std::get<TicketUpsert>(parsed->payload);
  EXPECT_EQ(p.status, FieldChoice::canonical("in_progress"));
  EXPECT_EQ(p.type, FieldChoice::label("Incident"));
  EXPECT_EQ(p.priority, FieldChoice::id("4"));  // an integer id is kept as text
  EXPECT_EQ(p.contact_id, std::optional<std::string>("300"));
  const std::string json = to_json(*parsed);
  EXPECT_NE(json.find(R"("status":"in_progress","type":{"label":"Incident"},"contact_id":"300")"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("priority":{"id":"4"})"), std::string::npos) << json;
}

TEST(CommandTest, NoteVisibilityDefaultsToInternal) {
  std::string json = kNote;
  json.replace(json.find(R"(,"visibility":"public")"), 22, "");
  auto parsed = command_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(std::get<TicketNoteAdd>(parsed->payload).visibility, TicketNoteAdd::Visibility::Internal);
  EXPECT_NE(to_json(*parsed).find(R"("visibility":"internal")"), std::string::npos);
}

TEST(CommandTest, NewTextLimitsCountCharactersAndHoldAtTheBoundary) {
  auto note_with = [](const std::string& text) {
    return command_from_json(to_json(Command{"c", "acme", "", TicketNoteAdd{"r", "n", text, {}}}));
  };
  std::string text;
  for (int i = 0; i < 8000; ++i) text += "\xC3\xA9";  // 8000 characters, 16000 bytes
  EXPECT_TRUE(note_with(text).ok());
  auto too_long = note_with(text + "x");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().message, "payload.text: must be 1 to 8000 characters");

  auto ref_of = [](size_t n) {
    return command_from_json(to_json(Command{"c", "acme", "", TicketNoteAdd{std::string(n, 'r'), "n", "t", {}}}));
  };
  EXPECT_TRUE(ref_of(255).ok());
  ASSERT_FALSE(ref_of(256).ok());
  EXPECT_EQ(ref_of(256).error().message, "payload.external_ref: must be 1 to 255 characters");
  EXPECT_TRUE(command_from_json(to_json(Command{"c", "acme", "", TicketNoteAdd{"r", std::string(128, 'n'), "t", {}}})).ok());
  EXPECT_FALSE(command_from_json(to_json(Command{"c", "acme", "", TicketNoteAdd{"r", std::string(129, 'n'), "t", {}}})).ok());
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
