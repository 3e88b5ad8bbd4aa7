// Keeps docs/schemas/v1/*.schema.json (what consumers read) and the C++ serializers (what
// Switchyard writes) from drifting apart: the emitted key sets must equal the schemas'
// properties, required keys must always be emitted, and emitted values must validate
// against the schemas (tests/support/json_schema.h: a small validator covering the keywords
// those files use).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/canonical.h"
#include "common/command.h"
#include "common/recipe.h"
#include "dispatch/command_result.h"
#include "support/json_schema.h"

namespace switchyard {
namespace {

using canonical::Record;
using simdjson::dom::element;

const std::string kSchemaDir = std::string(SWITCHYARD_SOURCE_DIR) + "/docs/schemas/v1/";
const std::vector<std::string> kRecordTypes = {"company",       "contact",     "ticket",       "agreement",
                                               "billing_line",  "configuration", "ticket_note", "scope_change",
                                               "company_summary", "site"};
const std::vector<std::string> kAllFiles = {
    "common.schema.json",        "company.schema.json",      "contact.schema.json",
    "ticket.schema.json",        "agreement.schema.json",    "billing_line.schema.json",
    "configuration.schema.json", "ticket_note.schema.json",  "scope_change.schema.json",
    "company_summary.schema.json", "site.schema.json",       "event.schema.json",
    "command.schema.json",       "command-result.schema.json", "erasure.schema.json"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// --- fixtures -------------------------------------------------------------------------------

canonical::RecordBase base(bool with_custom_fields) {
  canonical::RecordBase b;
  b.tenant = "acme";
  b.source = canonical::SourceRef{"autotask", "Tickets", "1001"};
  b.updated_at = "2026-11-25T10:00:00Z";
  if (with_custom_fields) {
    b.custom_fields = {{"a", nullptr}, {"b", true}, {"c", 1.5}, {"d", std::string("x")}};
  }
  return b;
}

template <typename T>
T with_base(T record, bool full) {
  static_cast<canonical::RecordBase&>(record) = base(full);
  return record;
}

const canonical::Ref kRef{"9", "Named"};

std::vector<Record> full_records() {
  canonical::Company company;
  company.name = "Acme";
  company.identifier = "ACME";
  company.status = "Active";
  company.types = {"Client"};
  company.website = "https://acme.example";
  company.phone = "555";
  company.parent = kRef;
  company.status_id = "1";
  company.type_ids = {"5"};
  company.addresses = {canonical::Address{{"1 Main St", "Suite 2"}, "Springfield", "IL", "62701", "United States"}};
  company.emails = {"office@acme.example"};
  company.classification = "customer";
  canonical::Contact contact;
  contact.first_name = "Ada";
  contact.last_name = "Lovelace";
  contact.company = kRef;
  contact.emails = {"ada@acme.example"};
  contact.phones = {"555"};
  canonical::Ticket ticket;
  ticket.title = "Printer down";
  ticket.description = "Jam";
  ticket.status = "New";
  ticket.priority = "High";
  ticket.board = kRef;
  ticket.company = kRef;
  ticket.contact = kRef;
  ticket.external_ref = "alert-1";
  ticket.closed = true;
  ticket.created_at = "2026-11-24T10:00:00Z";
  ticket.closed_at = "2026-11-25T10:00:00Z";
  ticket.status_id = "16";
  ticket.priority_id = "8";
  ticket.type = "Incident";
  ticket.type_id = "3";
  ticket.subtype = "Email";
  ticket.subtype_id = "11";
  ticket.issue_type = "Hardware";
  ticket.issue_type_id = "4";
  ticket.channel = "Phone";
  ticket.channel_id = "2";
  canonical::Agreement agreement;
  agreement.name = "MSP";
  agreement.type = "Recurring";
  agreement.company = kRef;
  agreement.status = "Active";
  agreement.start_date = "2026-01-01";
  agreement.end_date = "2026-12-31";
  agreement.bill_amount = 100;
  agreement.billing_cycle = "Monthly";
  agreement.type_id = "2";
  agreement.status_id = "1";
  agreement.billing_cycle_id = "4";
  agreement.vendor = kRef;
  agreement.recurring = true;
  agreement.cancelled = false;
  agreement.currency = "USD";
  agreement.billing_period = "monthly";
  agreement.monthly_amount = 100;
  canonical::BillingLine line;
  line.agreement = kRef;
  line.description = "Seats";
  line.product = "SEAT";
  line.quantity = 3;
  line.unit_price = 10;
  line.unit_cost = 4;
  line.effective_date = "2026-11-01";
  canonical::Configuration config;
  config.name = "FS01";
  config.type = "Server";
  config.company = kRef;
  config.serial_number = "SN1";
  config.status = "Active";
  config.type_id = "12";
  config.status_id = "1";
  config.purchase_date = "2024-03-01";
  config.warranty_expiry_date = "2027-03-01";
  config.last_seen_at = "2026-11-25T09:00:00Z";
  config.vendor_ref = canonical::VendorRef{"dev-42", "https://vendor.example/devices/dev-42"};
  canonical::TicketNote note;
  note.ticket = kRef;
  note.text = "Rebooted the server";
  note.internal = true;
  note.created_at = "2026-11-25T09:30:00Z";
  note.author = kRef;
  canonical::ScopeChange scope;
  scope.company = kRef;
  scope.policy = "active_customers";
  scope.in_scope = false;
  scope.reason = "no_contact";
  canonical::CompanySummary summary;
  summary.company = kRef;
  summary.contact_count = 4;
  summary.active_recurring_agreements = 2;
  summary.mrr = {canonical::MrrAmount{"USD", 1234.5, 2}, canonical::MrrAmount{std::nullopt, 80, 1}};
  summary.agreements = {canonical::SummaryAgreement{canonical::Ref{"31", "Managed Services - Gold"},
                                                    "MSP Managed Services", 1500.0, 500.0, "USD", true}};
  canonical::Site site;
  site.name = "Acme - Leeds";
  site.company = kRef;
  site.main = true;
  site.addresses = {canonical::Address{{"1 Wellington St"}, "Leeds", "West Yorkshire", "LS1 4AP", "United Kingdom"}};
  site.phone = "0113 496 0000";
  return {with_base(company, true), with_base(contact, true), with_base(ticket, true),
          with_base(agreement, true), with_base(line, true),  with_base(config, true),
          with_base(note, true),    with_base(scope, true),   with_base(summary, true),
          with_base(site, true)};
}

std::vector<Record> minimal_records() {
  canonical::Company company;
  company.name = "Acme";
  canonical::Ticket ticket;
  ticket.title = "t";
  canonical::Agreement agreement;
  agreement.name = "a";
  canonical::BillingLine line;
  line.description = "d";
  line.quantity = 1;
  canonical::Configuration config;
  config.name = "c";
  canonical::TicketNote note;
  note.text = "n";
  canonical::ScopeChange scope;
  scope.company = canonical::Ref{"9", std::nullopt};
  scope.policy = "active_customer_agreements";
  scope.reason = "no_agreement";
  canonical::CompanySummary summary;
  summary.company = canonical::Ref{"9", std::nullopt};
  canonical::Site site;
  site.name = "s";
  return {with_base(company, false),   with_base(canonical::Contact{}, false),
          with_base(ticket, false),    with_base(agreement, false),
          with_base(line, false),      with_base(config, false),
          with_base(note, false),      with_base(scope, false),
          with_base(summary, false),   with_base(site, false)};
}

canonical::Event event_of(const Record& record) {
  canonical::Event event;
  event.event_id = "e1";
  event.observed_at = "2026-11-25T10:00:01.000Z";
  event.origin = "poll";
  event.record = record;
  return event;
}

std::string event_json(const Record& record) { return canonical::to_json(event_of(record)); }

// --- the validator (tests/support/json_schema.h) --------------------------------------------

using SchemaSet = testing::JsonSchemaSet;

// Named copies for range-for: value() on a temporary simdjson_result returns a reference
// into that temporary, which would dangle for the length of the loop.
simdjson::dom::object as_object(element value) { return value.get_object().value(); }
simdjson::dom::array as_array(element value) { return value.get_array().value(); }

// Violations of `json` against schema file `file`; empty when valid.
std::vector<std::string> validate_text(const SchemaSet& schemas, const std::string& json,
                                       const std::string& file, const char* pointer = "") {
  return schemas.validate_text(json, file, pointer);
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::set<std::string> object_keys(element value) {
  std::set<std::string> keys;
  for (auto [key, member] : as_object(value)) keys.insert(std::string(key));
  return keys;
}

std::set<std::string> string_set(element array) {
  std::set<std::string> out;
  for (element item : as_array(array)) out.insert(std::string(item.get_string().value()));
  return out;
}

// The emitted "record" object's keys.
std::set<std::string> emitted_keys(const Record& record) {
  simdjson::dom::parser parser;
  const std::string json = event_json(record);
  return object_keys(parser.parse(json)["record"].value());
}

class SchemaFilesTest : public ::testing::Test {
 protected:
  // Every other test reads the files, so none runs on a missing or broken one.
  void SetUp() override {
    for (const auto& file : kAllFiles) {
      ASSERT_TRUE(schemas_->parsed(file)) << file << " is missing or not valid JSON";
    }
  }

  static void SetUpTestSuite() { schemas_ = new SchemaSet(kSchemaDir, kAllFiles); }
  static void TearDownTestSuite() {
    delete schemas_;
    schemas_ = nullptr;
  }
  static SchemaSet* schemas_;
};
SchemaSet* SchemaFilesTest::schemas_ = nullptr;

// --- tests ----------------------------------------------------------------------------------

TEST_F(SchemaFilesTest, EveryFileParsesAndIdentifiesItself) {
  for (const auto& file : kAllFiles) {
    ASSERT_TRUE(schemas_->parsed(file)) << file << " is missing or not valid JSON";
    const auto root = schemas_->root(file);
    EXPECT_EQ(std::string_view(root["$schema"].get_string().value()),
              "https://json-schema.org/draft/2020-12/schema")
        << file;
    EXPECT_EQ(std::string(root["$id"].get_string().value()),
              "https://switchyard.dev/schemas/v1/" + file);
  }
}

// Walks every "$ref" in every file.
void check_refs(const SchemaSet& schemas, const std::string& file, element node,
                std::vector<std::string>& bad) {
  if (node.is_object()) {
    for (auto [key, member] : as_object(node)) {
      if (key == "$ref" && member.is_string()) {
        std::string target_file = file;
        element target;
        if (!schemas.resolve(std::string(member.get_string().value()), target_file, target)) {
          bad.push_back(file + ": " + std::string(member.get_string().value()));
        }
      } else {
        check_refs(schemas, file, member, bad);
      }
    }
  } else if (node.is_array()) {
    for (element item : as_array(node)) check_refs(schemas, file, item, bad);
  }
}

TEST_F(SchemaFilesTest, EveryRefResolves) {
  std::vector<std::string> bad;
  for (const auto& file : kAllFiles) {
    ASSERT_TRUE(schemas_->parsed(file)) << file;
    check_refs(*schemas_, file, schemas_->root(file), bad);
  }
  EXPECT_TRUE(bad.empty()) << joined(bad);
}

TEST_F(SchemaFilesTest, RecordSchemasAreClosed) {
  for (const auto& type : kRecordTypes) {
    const auto root = schemas_->root(type + ".schema.json");
    EXPECT_FALSE(root["additionalProperties"].get_bool().value()) << type;
    EXPECT_EQ(std::string_view(root["type"].get_string().value()), "object") << type;
  }
}

TEST_F(SchemaFilesTest, FullRecordEmitsExactlyTheSchemaProperties) {
  const auto records = full_records();
  ASSERT_EQ(records.size(), kRecordTypes.size());
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(canonical::type_name(records[i]), kRecordTypes[i]);
    const auto properties =
        object_keys(schemas_->root(kRecordTypes[i] + ".schema.json")["properties"].value());
    EXPECT_EQ(emitted_keys(records[i]), properties) << kRecordTypes[i];
  }
}

TEST_F(SchemaFilesTest, MinimalRecordEmitsEveryRequiredKey) {
  const auto records = minimal_records();
  for (size_t i = 0; i < records.size(); ++i) {
    const auto root = schemas_->root(kRecordTypes[i] + ".schema.json");
    const auto required = string_set(root["required"].value());
    const auto properties = object_keys(root["properties"].value());
    const auto emitted = emitted_keys(records[i]);
    for (const auto& key : required) {
      EXPECT_TRUE(properties.count(key)) << kRecordTypes[i] << ": required " << key << " not a property";
      EXPECT_TRUE(emitted.count(key)) << kRecordTypes[i] << ": required " << key << " not emitted";
    }
    // And what a minimal record emits is exactly what is required: optionals are omitted.
    EXPECT_EQ(emitted, required) << kRecordTypes[i];
  }
}

TEST_F(SchemaFilesTest, EmittedRecordsValidateAgainstTheirSchema) {
  for (const auto& records : {full_records(), minimal_records()}) {
    for (const auto& record : records) {
      const std::string type(canonical::type_name(record));
      const std::string json = event_json(record);
      EXPECT_EQ(validate_text(*schemas_, json, type + ".schema.json", "/record"),
                std::vector<std::string>{})
          << json;
      EXPECT_EQ(validate_text(*schemas_, json, "event.schema.json"), std::vector<std::string>{})
          << json;
    }
  }
}

TEST_F(SchemaFilesTest, ValidatorCatchesWrongTypesAndMismatchedRecords) {
  const std::string json = event_json(full_records()[2]);  // a ticket
  auto broken = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return validate_text(*schemas_, text, "event.schema.json");
  };
  EXPECT_FALSE(broken(R"("closed":true)", R"("closed":"yes")").empty());
  EXPECT_FALSE(broken(R"("title":"Printer down")", R"("title":7)").empty());
  EXPECT_FALSE(broken(R"("id":"1001")", R"("id":1001)").empty());
  EXPECT_FALSE(broken(R"("custom_fields":{)", R"("custom_fields":{"o":{},)").empty());
  EXPECT_FALSE(broken(R"("closed":true)", R"("closed":true,"extra":1)").empty());
  EXPECT_FALSE(broken(R"("type":"ticket")", R"("type":"company")").empty());
  EXPECT_FALSE(broken(R"("action":"upserted")", R"("action":"created")").empty());
  EXPECT_FALSE(broken(R"("schema":"switchyard.canonical/v1")", R"("schema":"x")").empty());
}

// The event members added in v1.1 are described by event.schema.json as the parser reads them.
TEST_F(SchemaFilesTest, EventSchemaAgreesWithTheParserOnCausedByCommandAndTrigger) {
  canonical::Event event = event_of(full_records()[8]);  // a company_summary
  event.caused_by_command = "rmm-alert-7731-open";
  event.trigger = "recompute";
  const std::string json = canonical::to_json(event);
  EXPECT_EQ(validate_text(*schemas_, json, "event.schema.json"), std::vector<std::string>{}) << json;
  auto agrees = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const bool schema_accepts = validate_text(*schemas_, text, "event.schema.json").empty();
    const bool parser_accepts = canonical::event_from_json(text).ok();
    EXPECT_EQ(schema_accepts, parser_accepts) << text;
    return schema_accepts;
  };
  EXPECT_TRUE(agrees(R"("trigger":"recompute")", R"("trigger":"first_agreement")"));
  EXPECT_FALSE(agrees(R"("trigger":"recompute")", R"("trigger":"because")"));
  EXPECT_FALSE(agrees(R"("caused_by_command":"rmm-alert-7731-open")", R"("caused_by_command":"")"));
  EXPECT_FALSE(agrees(R"("contact_count":4)", R"("contact_count":-4)"));
  EXPECT_FALSE(agrees(R"("contact_count":4)", R"("contact_count":4.5)"));
  EXPECT_FALSE(agrees(R"("agreements":2)", R"("agreements":-1)"));
  EXPECT_FALSE(agrees(R"("monthly":1234.5)", R"("monthly":"1234.5")"));
  EXPECT_TRUE(agrees(R"("currency":"USD",)", ""));

  const std::string scope = event_json(full_records()[7]);
  EXPECT_EQ(validate_text(*schemas_, scope, "event.schema.json"), std::vector<std::string>{}) << scope;
  std::string bad_policy = scope;
  bad_policy.replace(bad_policy.find(R"("active_customers")"), 18, R"("everything")");
  EXPECT_FALSE(validate_text(*schemas_, bad_policy, "event.schema.json").empty()) << bad_policy;
  EXPECT_FALSE(canonical::event_from_json(bad_policy).ok()) << bad_policy;
}

// v1.2's site is described by site.schema.json as the parser reads it.
TEST_F(SchemaFilesTest, SiteSchemaAgreesWithTheParser) {
  const std::string json = event_json(full_records()[9]);
  ASSERT_NE(json.find(R"("type":"site")"), std::string::npos) << json;
  auto agrees = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const bool schema_accepts = validate_text(*schemas_, text, "event.schema.json").empty();
    const bool parser_accepts = canonical::event_from_json(text).ok();
    EXPECT_EQ(schema_accepts, parser_accepts) << text;
    return schema_accepts;
  };
  EXPECT_TRUE(agrees(R"("main":true)", R"("main":false)"));
  EXPECT_TRUE(agrees(R"("phone":"0113 496 0000",)", ""));
  EXPECT_FALSE(agrees(R"("main":true)", R"("main":1)"));
  EXPECT_FALSE(agrees(R"("main":true,)", ""));
  EXPECT_FALSE(agrees(R"("active":true)", R"("active":"true")"));
  EXPECT_FALSE(agrees(R"("street_lines":["1 Wellington St"])", R"("street_lines":"1 Wellington St")"));
  // A site record under another type's name is not valid.
  std::string as_contact = json;
  as_contact.replace(as_contact.find(R"("type":"site")"), 13, R"("type":"contact")");
  EXPECT_FALSE(validate_text(*schemas_, as_contact, "event.schema.json").empty());
}

std::vector<Command> sample_commands() {
  TicketUpsert upsert{"alert-1", "Disk full", "C: at 95%", FieldChoice::canonical("critical"), "250", "5"};
  BillingLineAdd line{"u-1", "31", "Seats", 2.5, 0.0, "SEAT", "2026-11-01"};
  TicketUpsert choices{"alert-3", "t", {}, FieldChoice::id("4"), {}, {}, FieldChoice::canonical("in_progress"),
                       FieldChoice::label("Incident"), "300"};
  ConfigurationUpsert device;
  device.external_ref = "dev-1";
  device.name = "FS01";
  device.company_id = "100";
  device.type = FieldChoice::label("Server");
  device.serial_number = "SN1";
  device.purchase_date = "2024-01-10";
  device.install_date = "2024-02-01";
  device.warranty_expiry_date = "2027-01-10";
  device.last_seen_at = "2026-11-25T10:00:00Z";
  device.vendor_ref = ConfigurationUpsert::VendorLink{"d1", std::string("https://rmm.example/d1")};
  return {Command{"c-1", "acme", "2026-11-25T10:00:00Z", upsert},
          Command{"c-2", "acme", "", TicketClose{"alert-1", "fixed"}},
          Command{"c-3", "acme", "2026-11-25T10:00:00Z", line},
          Command{"c-4", "acme", "", TicketUpsert{"alert-2", "t", {}, {}, {}, {}}},
          Command{"c-5", "acme", "", choices},
          Command{"c-6", "acme", "", TicketNoteAdd{"alert-1", "n-1", "Rebooted", TicketNoteAdd::Visibility::Public}},
          Command{"c-7", "acme", "", device}};
}

TEST_F(SchemaFilesTest, EmittedCommandsValidateAgainstTheCommandSchema) {
  for (const auto& command : sample_commands()) {
    const std::string json = to_json(command);
    EXPECT_EQ(validate_text(*schemas_, json, "command.schema.json"), std::vector<std::string>{})
        << json;
  }
}

TEST_F(SchemaFilesTest, CommandSchemaRejectsWhatTheParserRejects) {
  const std::string json = to_json(sample_commands()[2]);
  auto broken = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const bool schema_accepts = validate_text(*schemas_, text, "command.schema.json").empty();
    const bool parser_accepts = command_from_json(text).ok();
    EXPECT_EQ(schema_accepts, parser_accepts) << text;
    return schema_accepts;
  };
  EXPECT_FALSE(broken(R"("quantity":2.5)", R"("quantity":0)"));
  EXPECT_FALSE(broken(R"("unit_price":0)", R"("unit_price":-1)"));
  EXPECT_FALSE(broken(R"("id":"c-3")", R"("id":"c 3")"));
  EXPECT_FALSE(broken(R"("tenant":"acme")", R"("tenant":"ACME")"));
  EXPECT_FALSE(broken(R"("command_version":1)", R"("command_version":2)"));
  EXPECT_FALSE(broken(R"("type":"billing_line.add")", R"("type":"ticket.upsert")"));  // no title
  EXPECT_FALSE(broken(R"("agreement_id":"31",)", ""));
  EXPECT_TRUE(broken(R"("agreement_id":"31")", R"("agreement_id":31)"));
  EXPECT_TRUE(broken(R"("product_id":"SEAT")", R"("product_id":"SEAT","later_field":1)"));
}

// The fields added after v1.0 are described by the schema as the parser reads them.
TEST_F(SchemaFilesTest, CommandSchemaAgreesWithTheParserOnTheNewFields) {
  const auto commands = sample_commands();
  auto agrees = [&](const Command& command, std::string_view from, std::string_view to) {
    std::string text = to_json(command);
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const bool schema_accepts = validate_text(*schemas_, text, "command.schema.json").empty();
    const bool parser_accepts = command_from_json(text).ok();
    EXPECT_EQ(schema_accepts, parser_accepts) << text;
    return schema_accepts;
  };
  const Command& choices = commands[4];
  const Command& note = commands[5];
  const Command& device = commands[6];
  EXPECT_TRUE(agrees(choices, R"({"id":"4"})", R"({"id":4})"));
  EXPECT_TRUE(agrees(choices, R"("priority":{"id":"4"})", R"("priority":"low")"));
  EXPECT_FALSE(agrees(choices, R"("priority":{"id":"4"})", R"("priority":"urgent")"));
  EXPECT_FALSE(agrees(choices, R"({"id":"4"})", R"({"id":"4","label":"Critical"})"));
  EXPECT_FALSE(agrees(choices, R"({"id":"4"})", R"({"id":""})"));
  EXPECT_FALSE(agrees(choices, R"("in_progress")", R"("In Progress")"));
  EXPECT_FALSE(agrees(choices, R"({"label":"Incident"})", R"({"label":""})"));
  EXPECT_FALSE(agrees(choices, R"({"label":"Incident"})", R"({"label":"a\u0001b"})"));
  EXPECT_FALSE(agrees(choices, R"({"label":"Incident"})", R"({})"));
  EXPECT_FALSE(agrees(note, R"("note_ref":"n-1")", R"("note_ref":"n 1")"));
  EXPECT_FALSE(agrees(note, R"("text":"Rebooted")", R"("text":"")"));
  EXPECT_FALSE(agrees(note, R"("visibility":"public")", R"("visibility":"all")"));
  EXPECT_TRUE(agrees(note, R"(,"visibility":"public")", ""));
  EXPECT_FALSE(agrees(note, R"("external_ref":"alert-1")", "\"external_ref\":\"" + std::string(256, 'r') + "\""));
  EXPECT_FALSE(agrees(device, R"("name":"FS01")", R"("name":"")"));
  EXPECT_FALSE(agrees(device, R"("install_date":"2024-02-01")", R"("install_date":"2024-2-01")"));
  EXPECT_FALSE(agrees(device, R"("url":"https://rmm.example/d1")", R"("url":"ftp://rmm.example/d1")"));
  EXPECT_FALSE(agrees(device, R"({"id":"d1",)", "{"));
  EXPECT_FALSE(agrees(device, R"("serial_number":"SN1")", R"("serial_number":"")"));
}

std::vector<RecipeCommand> sample_recipes() {
  return {RecipeCommand{"r-1", "acme", "2026-11-25T10:00:00Z",
                        AlertRaised{"disk:srv01", "Disk full", std::string("C: at 95%"), "major", std::string("100"),
                                    std::string("4"), std::string("2026-11-25T09:59:00Z")}},
          RecipeCommand{"r-2", "acme", "", AlertResolved{"disk:srv01", std::string("cleaned"), {}}},
          RecipeCommand{"r-3", "acme", "", UsageRecorded{"200", std::string("100"), std::string("backup-gb"), 2.5,
                                                         "2026-11-25T10:00:00Z"}},
          RecipeCommand{"r-4", "acme", "", UsagePeriodClosed{"200", "2026-11"}}};
}

TEST_F(SchemaFilesTest, RecipeCommandsValidateAndTheSchemaRejectsWhatTheParserRejects) {
  const auto recipes = sample_recipes();
  for (const auto& recipe : recipes) {
    const std::string json = to_json(recipe);
    EXPECT_EQ(validate_text(*schemas_, json, "command.schema.json"), std::vector<std::string>{}) << json;
  }
  auto agrees = [&](const RecipeCommand& recipe, std::string_view from, std::string_view to) {
    std::string text = to_json(recipe);
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const bool schema_accepts = validate_text(*schemas_, text, "command.schema.json").empty();
    const bool parser_accepts = recipe_from_json(text).ok();
    EXPECT_EQ(schema_accepts, parser_accepts) << text;
    return schema_accepts;
  };
  EXPECT_FALSE(agrees(recipes[0], R"("severity":"major")", R"("severity":"Major")"));
  EXPECT_FALSE(agrees(recipes[0], R"("alert_key":"disk:srv01")", R"("alert_key":"disk srv01")"));
  EXPECT_FALSE(agrees(recipes[0], R"("title":"Disk full",)", ""));
  EXPECT_TRUE(agrees(recipes[1], R"(,"resolution":"cleaned")", ""));
  EXPECT_FALSE(agrees(recipes[2], R"("quantity":2.5)", R"("quantity":0)"));
  EXPECT_FALSE(agrees(recipes[2], R"(,"occurred_at":"2026-11-25T10:00:00Z")", ""));
  EXPECT_FALSE(agrees(recipes[2], R"("product_id":"backup-gb")", R"("product_id":"backup gb")"));
  EXPECT_TRUE(agrees(recipes[3], R"("agreement_id":"200")", R"("agreement_id":200)"));
  EXPECT_FALSE(agrees(recipes[3], R"("period":"2026-11")", R"("period":"2026-13")"));
  EXPECT_FALSE(agrees(recipes[3], R"("period":"2026-11")", R"("period":"2026-11-01")"));
}

TEST_F(SchemaFilesTest, EmittedCommandResultsValidateAgainstTheirSchema) {
  dispatch::CommandResult created{"c-1", "acme", "ticket.upsert", "alert-1", "created", "autotask", "1001", "", "", 0, 0};
  dispatch::CommandResult parked{"c-2", "acme", "ticket.upsert", "alert-2", "parked", "autotask", "",
                                 "psa_throttled", "Autotask answered 429", 0, 1795000000000};
  dispatch::CommandResult dead{"", "nobody", "", "", "dead_lettered", "", "", "invalid_json", "not JSON", 0, 0};
  dispatch::CommandResult expanded{"r-1", "acme", "alert.raised", "disk:srv01", "expanded", "autotask", "",
                                   "", "opened ticket alert:disk:srv01", 0, 0};
  expanded.commands = {"r-1.open"};
  for (const auto& r : {created, parked, dead, expanded}) {
    const std::string json = dispatch::to_json(r);
    EXPECT_EQ(validate_text(*schemas_, json, "command-result.schema.json"), std::vector<std::string>{}) << json;
  }
  std::string wrong = dispatch::to_json(created);
  wrong.replace(wrong.find("\"created\""), 9, "\"made\"");
  EXPECT_FALSE(validate_text(*schemas_, wrong, "command-result.schema.json").empty()) << wrong;
}

// The text of docs/schema.md from `heading` up to the next heading.
std::string doc_section(const std::string& doc, const std::string& heading) {
  const auto start = doc.find(heading);
  if (start == std::string::npos) return "";
  const auto end = std::min(doc.find("\n### ", start + 1), doc.find("\n## ", start + 1));
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// docs/schema.md has a table of the fields every record has and one table per type; every
// schema property must have a row in the right one.
TEST_F(SchemaFilesTest, SchemaDocDocumentsEveryProperty) {
  const std::string doc = read_text(std::string(SWITCHYARD_SOURCE_DIR) + "/docs/schema.md");
  ASSERT_FALSE(doc.empty());
  const std::set<std::string> common_fields = {"tenant", "source", "updated_at", "custom_fields"};
  const std::string common_section = doc_section(doc, "## Fields of every record");
  ASSERT_FALSE(common_section.empty()) << "no \"Fields of every record\" section";
  for (const auto& field : common_fields) {
    EXPECT_NE(common_section.find("| `" + field + "`"), std::string::npos) << field;
  }
  const std::string results = doc_section(doc, "## Command results");
  ASSERT_FALSE(results.empty()) << "no \"Command results\" section";
  EXPECT_NE(results.find("command-result.schema.json"), std::string::npos);
  for (const auto& property : object_keys(schemas_->root("command-result.schema.json")["properties"].value())) {
    EXPECT_NE(results.find("| `" + property + "`"), std::string::npos) << "command results: docs lack " << property;
  }
  // The erasure event (v1.3, common/erasure_event.h) is no canonical::Record, but is documented alike.
  std::vector<std::string> documented = kRecordTypes;
  documented.push_back("erasure");
  for (const auto& type : documented) {
    const std::string section = doc_section(doc, "(`" + type + "`)");
    ASSERT_FALSE(section.empty()) << "no section headed (`" << type << "`)";
    EXPECT_NE(section.find(type + ".schema.json"), std::string::npos) << type << ": no schema link";
    for (const auto& property :
         object_keys(schemas_->root(type + ".schema.json")["properties"].value())) {
      const auto& table = common_fields.count(property) ? common_section : section;
      EXPECT_NE(table.find("| `" + property + "`"), std::string::npos)
          << type << ": docs lack a row for " << property;
    }
  }
}

}  // namespace
}  // namespace switchyard
