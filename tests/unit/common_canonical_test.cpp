#include "common/canonical.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

namespace switchyard::canonical {
namespace {

RecordBase base(std::string entity, std::string id) {
  RecordBase b;
  b.tenant = "acme";
  b.source = SourceRef{"connectwise", std::move(entity), std::move(id)};
  b.updated_at = "2026-11-25T10:00:00Z";
  return b;
}

RecordBase base_with_custom_fields(std::string entity, std::string id) {
  RecordBase b = base(std::move(entity), std::move(id));
  b.custom_fields = {{"none", nullptr}, {"flag", true}, {"count", 42.0}, {"ratio", 0.25},
                     {"label", std::string("gold")}};
  return b;
}

Company full_company() {
  Company c;
  static_cast<RecordBase&>(c) = base_with_custom_fields("company/companies", "250");
  c.name = "Acme Corp";
  c.identifier = "ACME";
  c.status = "Active";
  c.active = false;
  c.types = {"Client", "Vendor"};
  c.website = "https://acme.example";
  c.phone = "+1 555 0100";
  c.parent = Ref{"1", "Acme Holdings"};
  c.status_id = "1";
  c.type_ids = {"1", "7"};
  c.addresses = {Address{{"1 Main St", "Suite 200"}, "Springfield", "IL", "62701", "United States"},
                 Address{{}, "Chicago", std::nullopt, std::nullopt, std::nullopt}};
  c.emails = {"office@acme.example"};
  c.classification = "customer";
  return c;
}

Contact full_contact() {
  Contact c;
  static_cast<RecordBase&>(c) = base_with_custom_fields("company/contacts", "77");
  c.first_name = "Ada";
  c.last_name = "Lovelace";
  c.company = Ref{"250", "Acme Corp"};
  c.emails = {"ada@acme.example", "a.l@acme.example"};
  c.phones = {"+1 555 0101"};
  c.active = false;
  return c;
}

Ticket full_ticket() {
  Ticket t;
  static_cast<RecordBase&>(t) = base_with_custom_fields("service/tickets", "1001");
  t.title = "Printer down";
  t.description = "Paper jam on floor 3";
  t.status = "New";
  t.priority = "Priority 2 - High";
  t.board = Ref{"5", "Help Desk"};
  t.company = Ref{"250", std::nullopt};
  t.contact = Ref{"77", "Ada Lovelace"};
  t.external_ref = "alert-9";
  t.closed = true;
  t.created_at = "2026-11-24T08:00:00Z";
  t.closed_at = "2026-11-25T09:30:00Z";
  t.status_id = "16";
  t.priority_id = "8";
  t.type = "Hardware";
  t.type_id = "3";
  t.subtype = "Email";
  t.subtype_id = "11";
  return t;
}

Agreement full_agreement() {
  Agreement a;
  static_cast<RecordBase&>(a) = base_with_custom_fields("finance/agreements", "31");
  a.name = "Managed Services";
  a.type = "MSP Monthly";
  a.company = Ref{"250", "Acme Corp"};
  a.status = "Active";
  a.start_date = "2026-01-01";
  a.end_date = "2026-12-31";
  a.bill_amount = 1499.5;
  a.billing_cycle = "Quarterly";
  a.type_id = "2";
  a.status_id = "1";
  a.billing_cycle_id = "3";
  a.vendor = Ref{"88", "Vendor Inc"};
  a.recurring = true;
  a.cancelled = false;
  a.currency = "EUR";
  a.billing_period = "quarterly";
  a.monthly_amount = 499.75;
  return a;
}

BillingLine full_billing_line() {
  BillingLine b;
  static_cast<RecordBase&>(b) = base_with_custom_fields("finance/agreements/additions", "9");
  b.agreement = Ref{"31", "Managed Services"};
  b.description = "Backup storage (GB)";
  b.product = "BACKUP-GB";
  b.quantity = 120.5;
  b.unit_price = 0.15;
  b.unit_cost = 0.05;
  b.effective_date = "2026-11-01";
  b.billable = false;
  return b;
}

Configuration full_configuration() {
  Configuration c;
  static_cast<RecordBase&>(c) = base_with_custom_fields("company/configurations", "444");
  c.name = "FS01";
  c.type = "Server";
  c.company = Ref{"250", "Acme Corp"};
  c.serial_number = "SN-123";
  c.status = "Active";
  c.active = false;
  c.type_id = "12";
  c.status_id = "2";
  c.purchase_date = "2024-03-01";
  c.warranty_expiry_date = "2027-03-01";
  c.last_seen_at = "2026-11-25T09:00:00Z";
  c.vendor_ref = VendorRef{"dev-42", "https://vendor.example/devices/dev-42"};
  return c;
}

TicketNote full_ticket_note() {
  TicketNote n;
  static_cast<RecordBase&>(n) = base_with_custom_fields("service/tickets/notes", "5001");
  n.ticket = Ref{"1001", std::nullopt};
  n.text = "Replaced the toner";
  n.internal = true;
  n.created_at = "2026-11-25T09:45:00Z";
  n.author = Ref{"12", "J. Roe"};
  return n;
}

ScopeChange full_scope_change() {
  ScopeChange c;
  static_cast<RecordBase&>(c) = base_with_custom_fields("company/companies", "250");
  c.company = Ref{"250", "Acme Corp"};
  c.policy = "active_customer_agreements";
  c.in_scope = true;
  c.reason = "entered";
  return c;
}

CompanySummary full_company_summary() {
  CompanySummary s;
  static_cast<RecordBase&>(s) = base_with_custom_fields("company/companies", "250");
  s.company = Ref{"250", "Acme Corp"};
  s.contact_count = 12;
  s.active_recurring_agreements = 3;
  s.mrr = {MrrAmount{"USD", 1234.5, 2}, MrrAmount{std::nullopt, 99, 1}};
  s.agreements = {SummaryAgreement{Ref{"31", "Managed Services - Gold"}, "MSP Managed Services", 1500.0, 500.0, "USD", true},
                  SummaryAgreement{Ref{"32", std::nullopt}, "Acme Vendor", std::nullopt, std::nullopt, std::nullopt, false}};
  return s;
}

Site full_site() {
  Site s;
  static_cast<RecordBase&>(s) = base_with_custom_fields("Site", "40");
  s.name = "Acme - Leeds";
  s.company = Ref{"250", "Acme Corp"};
  s.main = true;
  s.addresses = {Address{{"1 Wellington St"}, "Leeds", "West Yorkshire", "LS1 4AP", "United Kingdom"},
                 Address{{"PO Box 7"}, std::nullopt, std::nullopt, "LS2 1AA", std::nullopt}};
  s.phone = "0113 496 0000";
  s.active = false;
  return s;
}

Event event_of(Record record, Action action = Action::Upserted) {
  Event e;
  e.event_id = "connectwise:acme:ticket:1001:2026-11-25T10:00:00Z";
  e.action = action;
  e.observed_at = "2026-11-25T10:00:01.250Z";
  e.origin = "webhook";
  e.record = std::move(record);
  return e;
}

std::vector<Record> full_records() {
  return {full_company(),      full_contact(),       full_ticket(),      full_agreement(),
          full_billing_line(), full_configuration(), full_ticket_note(), full_scope_change(),
          full_company_summary(), full_site()};
}

std::vector<Record> minimal_records() {
  Company company;
  static_cast<RecordBase&>(company) = base("Companies", "1");
  company.name = "Min";
  Contact contact;
  static_cast<RecordBase&>(contact) = base("Contacts", "2");
  Ticket ticket;
  static_cast<RecordBase&>(ticket) = base("Tickets", "3");
  ticket.title = "t";
  Agreement agreement;
  static_cast<RecordBase&>(agreement) = base("Contracts", "4");
  agreement.name = "a";
  BillingLine line;
  static_cast<RecordBase&>(line) = base("ContractCharges", "5");
  line.description = "d";
  line.quantity = 1;
  Configuration config;
  static_cast<RecordBase&>(config) = base("ConfigurationItems", "6");
  config.name = "c";
  TicketNote note;
  static_cast<RecordBase&>(note) = base("TicketNotes", "7");
  note.text = "n";
  ScopeChange scope;
  static_cast<RecordBase&>(scope) = base("Companies", "8");
  scope.company = Ref{"8", std::nullopt};
  scope.policy = "active_customers";
  scope.reason = "inactive";
  CompanySummary summary;
  static_cast<RecordBase&>(summary) = base("Companies", "9");
  summary.company = Ref{"9", std::nullopt};
  Site site;
  static_cast<RecordBase&>(site) = base("Site", "10");
  site.name = "s";
  return {company, contact, ticket, agreement, line, config, note, scope, summary, site};
}

// Keys of the emitted "record" object.
std::set<std::string> record_keys(const std::string& json) {
  simdjson::dom::parser parser;
  std::set<std::string> keys;
  // A named object: value() on a temporary simdjson_result returns a reference into it.
  const simdjson::dom::object record = parser.parse(json)["record"].get_object().value();
  for (auto [key, value] : record) {
    keys.insert(std::string(key));
  }
  return keys;
}

TEST(CanonicalTest, NamesFollowTheVariant) {
  EXPECT_EQ(type_name(Record(Company{})), "company");
  EXPECT_EQ(type_name(Record(Contact{})), "contact");
  EXPECT_EQ(type_name(Record(Ticket{})), "ticket");
  EXPECT_EQ(type_name(Record(Agreement{})), "agreement");
  EXPECT_EQ(type_name(Record(BillingLine{})), "billing_line");
  EXPECT_EQ(type_name(Record(Configuration{})), "configuration");
  EXPECT_EQ(type_name(Record(TicketNote{})), "ticket_note");
  EXPECT_EQ(type_name(Record(ScopeChange{})), "scope_change");
  EXPECT_EQ(type_name(Record(CompanySummary{})), "company_summary");
  EXPECT_EQ(type_name(Record(Site{})), "site");
  EXPECT_EQ(action_name(Action::Upserted), "upserted");
  EXPECT_EQ(action_name(Action::Deleted), "deleted");

  const Record ticket = full_ticket();
  EXPECT_EQ(base_of(ticket).source.id, "1001");
  EXPECT_EQ(&base_of(ticket), static_cast<const RecordBase*>(&std::get<Ticket>(ticket)));
}

TEST(CanonicalTest, EveryTypeRoundTripsFullyPopulated) {
  for (const auto& record : full_records()) {
    for (Action action : {Action::Upserted, Action::Deleted}) {
      const Event original = event_of(record, action);
      const std::string json = to_json(original);
      auto parsed = event_from_json(json);
      ASSERT_TRUE(parsed.ok()) << type_name(record) << ": " << parsed.error().message << "\n"
                               << json;
      EXPECT_EQ(*parsed, original) << json;
      // The text form is stable: writing the parsed event gives the same bytes.
      EXPECT_EQ(to_json(*parsed), json);
    }
  }
}

TEST(CanonicalTest, EveryTypeRoundTripsMinimal) {
  for (const auto& record : minimal_records()) {
    const Event original = event_of(record);
    auto parsed = event_from_json(to_json(original));
    ASSERT_TRUE(parsed.ok()) << type_name(record) << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, original);
  }
}

TEST(CanonicalTest, EnvelopeHasTheDocumentedShape) {
  const std::string json = to_json(event_of(full_ticket(), Action::Deleted));
  simdjson::dom::parser parser;
  auto obj = parser.parse(json).get_object().value();
  EXPECT_EQ(std::string_view(obj["schema"].get_string().value()), "switchyard.canonical/v1");
  EXPECT_EQ(std::string_view(obj["type"].get_string().value()), "ticket");
  EXPECT_EQ(std::string_view(obj["action"].get_string().value()), "deleted");
  EXPECT_EQ(std::string_view(obj["origin"].get_string().value()), "webhook");
  EXPECT_EQ(std::string_view(obj["observed_at"].get_string().value()), "2026-11-25T10:00:01.250Z");
  EXPECT_TRUE(obj["record"].is_object());
  size_t members = 0;
  for (auto member : obj) {
    (void)member;
    ++members;
  }
  EXPECT_EQ(members, 8u);
  EXPECT_EQ(std::string_view(obj["schema_version"].get_string().value()), "1.3");
}

TEST(CanonicalTest, UnsetOptionalsAreOmitted) {
  const auto& minimal = minimal_records();
  const std::set<std::string> base_keys = {"tenant", "source", "updated_at", "custom_fields"};
  auto with = [&](std::initializer_list<std::string> extra) {
    std::set<std::string> keys = base_keys;
    keys.insert(extra);
    return keys;
  };
  EXPECT_EQ(record_keys(to_json(event_of(minimal[0]))), with({"name", "active", "types"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[1]))), with({"emails", "phones", "active"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[2]))), with({"title", "closed"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[3]))), with({"name"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[4]))),
            with({"description", "quantity", "billable"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[5]))), with({"name", "active"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[6]))), with({"text", "internal"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[7]))), with({"company", "policy", "in_scope", "reason"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[8]))),
            with({"company", "contact_count", "active_recurring_agreements"}));
  EXPECT_EQ(record_keys(to_json(event_of(minimal[9]))), with({"name", "main", "active"}));

  // A ref without a name has no "name" key (not null).
  const std::string json = to_json(event_of(full_ticket()));
  EXPECT_NE(json.find(R"("company":{"id":"250"})"), std::string::npos) << json;
  EXPECT_EQ(json.find("null,\"flag\""), std::string::npos);
}

TEST(CanonicalTest, CustomFieldsKeepTheirJsonType) {
  const std::string json = to_json(event_of(full_ticket()));
  simdjson::dom::parser parser;
  auto fields = parser.parse(json)["record"]["custom_fields"].get_object().value();
  EXPECT_TRUE(fields["none"].is_null());
  EXPECT_TRUE(fields["flag"].is_bool());
  EXPECT_TRUE(fields["count"].is_number());
  EXPECT_EQ(fields["count"].get_int64().value(), 42);  // written as 42, not "42" or 42.0
  EXPECT_DOUBLE_EQ(fields["ratio"].get_double().value(), 0.25);
  EXPECT_EQ(std::string_view(fields["label"].get_string().value()), "gold");

  // An empty map is still written, as {}.
  EXPECT_NE(to_json(event_of(minimal_records()[2])).find(R"("custom_fields":{})"),
            std::string::npos);
}

TEST(CanonicalTest, AwkwardStringsSurvive) {
  Ticket t = full_ticket();
  t.title = "He said \"hi\"\\ then left";
  t.description = std::string("line1\nline2\r\n\ttab \x01 ctrl ") + "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x96\xA8";
  t.custom_fields["quote\"key\n"] = std::string("</script>\u2028");
  const Event original = event_of(t);
  const std::string json = to_json(original);
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, original);
  EXPECT_EQ(json.find('\n'), std::string::npos);  // one event, one line
}

TEST(CanonicalTest, ParsesHandWrittenEventAndIgnoresUnknownMembers) {
  // Written by hand, as a consumer or a later v1.x producer would.
  const std::string json = R"({
    "schema": "switchyard.canonical/v1", "type": "billing_line", "event_id": "e1",
    "action": "upserted", "observed_at": "2026-11-25T10:00:00+01:00", "origin": "poll",
    "added_in_v1_1": {"x": 1},
    "record": {
      "tenant": "acme", "source": {"psa": "autotask", "entity": "ContractCharges", "id": "9", "zone": 3},
      "updated_at": "2026-11-25T10:00:00Z", "custom_fields": {"n": 7},
      "description": "Seats", "quantity": 12, "billable": true, "future_field": [1, 2],
      "agreement": {"id": "31"}, "unit_price": null
    }
  })";
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->origin, "poll");
  const auto& line = std::get<BillingLine>(parsed->record);
  EXPECT_EQ(line.source.psa, "autotask");
  EXPECT_DOUBLE_EQ(line.quantity, 12);
  EXPECT_EQ(line.agreement, (Ref{"31", std::nullopt}));
  EXPECT_FALSE(line.unit_price.has_value());  // null reads as unset
  EXPECT_EQ(line.custom_fields.at("n"), CustomValue(7.0));
}

// A valid ticket event, written by hand so that each case below breaks exactly one thing.
const std::string kValidTicket =
    R"({"schema":"switchyard.canonical/v1","type":"ticket","event_id":"e1","action":"upserted",)"
    R"("observed_at":"2026-11-25T10:00:00Z","origin":"webhook","record":{"tenant":"acme",)"
    R"("source":{"psa":"connectwise","entity":"service/tickets","id":"1001"},)"
    R"("updated_at":"2026-11-25T10:00:00Z","custom_fields":{},"title":"Printer down",)"
    R"("closed":false,"board":{"id":"5","name":"Help Desk"},"created_at":"2026-11-24T08:00:00Z"})"
    R"(})";

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

struct BrokenCase {
  std::string_view from;
  std::string_view to;
  std::string_view code;
  std::string_view message;
};

TEST(CanonicalTest, ErrorsNameTheField) {
  ASSERT_TRUE(event_from_json(kValidTicket).ok());
  const BrokenCase cases[] = {
      {R"("schema":"switchyard.canonical/v1",)", "", "missing_field", "schema: required"},
      {"canonical/v1", "canonical/v2", "invalid_field", "schema: must be"},
      {R"("type":"ticket")", R"("type":"invoice")", "invalid_field", "type: unknown type \"invoice\""},
      {R"("type":"ticket",)", "", "missing_field", "type: required"},
      {R"("event_id":"e1")", R"("event_id":"")", "invalid_field", "event_id: must not be empty"},
      {R"("action":"upserted")", R"("action":"created")", "invalid_field", "action: must be"},
      {R"("origin":"webhook")", R"("origin":"kafka")", "invalid_field", "origin: must be"},
      {R"("observed_at":"2026-11-25T10:00:00Z")", R"("observed_at":"yesterday")", "invalid_field",
       "observed_at: must be an RFC 3339 timestamp"},
      {R"(,"record":{)", R"(,"rec":{)", "missing_field", "record: required"},
      {R"("tenant":"acme",)", "", "missing_field", "record.tenant: required"},
      {R"("tenant":"acme")", R"("tenant":7)", "invalid_field", "record.tenant: must be a string"},
      {R"("id":"1001")", "\"idx\":\"1001\"", "missing_field", "record.source.id: required"},
      {R"("id":"1001")", R"("id":1001)", "invalid_field", "record.source.id: must be a string"},
      {R"("psa":"connectwise")", R"("psa":"")", "invalid_field", "record.source.psa: must not be empty"},
      {R"("source":{)", R"("src":{)", "missing_field", "record.source: required"},
      {R"("updated_at":"2026-11-25T10:00:00Z")", R"("updated_at":"2026-11-25")", "invalid_field",
       "record.updated_at: must be an RFC 3339 timestamp"},
      {R"("custom_fields":{})", R"("custom_fields":[])", "invalid_field",
       "record.custom_fields: must be an object"},
      {R"("custom_fields":{})", R"("custom_fields":{"k":{"nested":1}})", "invalid_field",
       "record.custom_fields.k: must be a string, number, boolean or null"},
      {R"("title":"Printer down",)", "", "missing_field", "record.title: required"},
      {R"("closed":false)", R"("closed":"no")", "invalid_field", "record.closed: must be a boolean"},
      {R"("closed":false,)", "", "missing_field", "record.closed: required"},
      {R"("board":{"id":"5","name":"Help Desk"})", R"("board":{"name":"Help Desk"})", "missing_field",
       "record.board.id: required"},
      {R"("board":{"id":"5","name":"Help Desk"})", R"("board":"5")", "invalid_field",
       "record.board: must be an object"},
      {R"("created_at":"2026-11-24T08:00:00Z")", R"("created_at":"2026-02-30T08:00:00Z")",
       "invalid_field", "record.created_at: must be an RFC 3339 timestamp"},
  };
  for (const auto& c : cases) {
    const std::string json = replaced(kValidTicket, c.from, c.to);
    auto parsed = event_from_json(json);
    ASSERT_FALSE(parsed.ok()) << "accepted: " << json;
    EXPECT_EQ(parsed.error().code, c.code) << json;
    EXPECT_EQ(parsed.error().message.rfind(c.message, 0), 0u)
        << "message \"" << parsed.error().message << "\" does not start with \"" << c.message
        << "\"";
  }
}

TEST(CanonicalTest, TypeSpecificFieldErrors) {
  auto error_for = [](Record record, std::string_view from, std::string_view to) {
    auto parsed = event_from_json(replaced(to_json(event_of(std::move(record))), from, to));
    return parsed.ok() ? std::string("accepted") : parsed.error().message;
  };
  EXPECT_EQ(error_for(full_company(), R"("types":["Client","Vendor"])", R"("types":["Client",3])"),
            "record.types[1]: must be a string");
  EXPECT_EQ(error_for(full_company(), R"("parent":{"id":"1")", R"("parent":{"id":"")"),
            "record.parent.id: must not be empty");
  EXPECT_EQ(error_for(full_contact(), R"("emails":[)", R"("mails":[)"), "record.emails: required");
  EXPECT_EQ(error_for(full_agreement(), R"("start_date":"2026-01-01")",
                      R"("start_date":"2026-01-01T00:00:00Z")"),
            "record.start_date: must be a date (YYYY-MM-DD)");
  EXPECT_EQ(error_for(full_agreement(), R"("bill_amount":1499.5)", R"("bill_amount":"1499.5")"),
            "record.bill_amount: must be a number");
  EXPECT_EQ(error_for(full_billing_line(), R"("quantity":120.5,)", ""), "record.quantity: required");
  EXPECT_EQ(error_for(full_billing_line(), R"("effective_date":"2026-11-01")",
                      R"("effective_date":"2026-13-01")"),
            "record.effective_date: must be a date (YYYY-MM-DD)");
  EXPECT_EQ(error_for(full_configuration(), R"("name":"FS01",)", ""), "record.name: required");
}

TEST(CanonicalTest, RejectsNonObjectsAndBrokenJson) {
  for (const char* bad : {"", "[]", "\"event\"", "{", "{\"schema\":}", "null"}) {
    auto parsed = event_from_json(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "invalid_json") << bad;
  }
}

}  // namespace
}  // namespace switchyard::canonical

namespace switchyard::canonical {
namespace {

// v1.1 is additive: an event a v1.0 producer wrote (no schema_version, no v1.1 fields) reads as
// before, with the added fields unset.
TEST(CanonicalTest, V10EventStillParses) {
  const std::string v10 =
      R"({"schema":"switchyard.canonical/v1","type":"company","event_id":"e1","action":"upserted",)"
      R"("observed_at":"2026-11-25T10:00:01.250Z","origin":"poll","record":{"tenant":"acme",)"
      R"("source":{"psa":"autotask","entity":"Companies","id":"250"},"updated_at":"2026-11-25T10:00:00Z",)"
      R"("name":"Acme","active":true,"types":["1"],"custom_fields":{}}})";
  auto parsed = event_from_json(v10);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& c = std::get<Company>(parsed->record);
  EXPECT_TRUE(c.addresses.empty());
  EXPECT_TRUE(c.emails.empty());
  EXPECT_FALSE(c.classification.has_value());
}

TEST(CanonicalTest, V11FieldErrorsNameTheField) {
  Company company = full_company();
  std::string json = to_json(event_of(company));
  json.replace(json.find(R"("classification":"customer")"), 27, R"("classification":"client")");
  auto bad_class = event_from_json(json);
  ASSERT_FALSE(bad_class.ok());
  EXPECT_NE(bad_class.error().message.find("record.classification"), std::string::npos) << bad_class.error().message;

  std::string config = to_json(event_of(full_configuration()));
  config.replace(config.find(R"("purchase_date":"2024-03-01")"), 28, R"("purchase_date":"01/03/2024")");
  auto bad_date = event_from_json(config);
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.error().message.find("record.purchase_date"), std::string::npos) << bad_date.error().message;

  std::string note = to_json(event_of(full_ticket_note()));
  note.replace(note.find(R"("internal":true)"), 15, R"("internal":"yes")");
  auto bad_note = event_from_json(note);
  ASSERT_FALSE(bad_note.ok());
  EXPECT_NE(bad_note.error().message.find("record.internal"), std::string::npos) << bad_note.error().message;
}

}  // namespace
}  // namespace switchyard::canonical

namespace switchyard::canonical {
namespace {

// v1.1 records of the sync policies (docs/sync-policies.md) and the event fields they come with.
TEST(CanonicalTest, ScopeChangeHasTheDocumentedShape) {
  const std::string json = to_json(event_of(full_scope_change()));
  EXPECT_NE(json.find(R"("type":"scope_change")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("company":{"id":"250","name":"Acme Corp"},"policy":"active_customer_agreements",)"
                      R"("in_scope":true,"reason":"entered")"),
            std::string::npos)
      << json;
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& c = std::get<ScopeChange>(parsed->record);
  EXPECT_EQ(c.company, (Ref{"250", "Acme Corp"}));
  EXPECT_EQ(c.policy, "active_customer_agreements");
  EXPECT_TRUE(c.in_scope);
  EXPECT_EQ(c.reason, "entered");
  EXPECT_EQ(c.source.id, "250");
}

TEST(CanonicalTest, CompanySummaryHasTheDocumentedShape) {
  const std::string json = to_json(event_of(full_company_summary()));
  EXPECT_NE(json.find(R"("contact_count":12,"active_recurring_agreements":3,)"
                      R"("mrr":[{"currency":"USD","monthly":1234.5,"agreements":2},{"monthly":99,"agreements":1}])"),
            std::string::npos)
      << json;
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& s = std::get<CompanySummary>(parsed->record);
  EXPECT_EQ(s.contact_count, 12);
  EXPECT_EQ(s.active_recurring_agreements, 3);
  ASSERT_EQ(s.mrr.size(), 2u);
  EXPECT_EQ(s.mrr[0].currency, "USD");
  EXPECT_DOUBLE_EQ(s.mrr[0].monthly, 1234.5);
  EXPECT_EQ(s.mrr[0].agreements, 2);
  EXPECT_FALSE(s.mrr[1].currency.has_value());
  EXPECT_NE(json.find(R"("agreements":[{"agreement":{"id":"31","name":"Managed Services - Gold"},)"
                      R"("vendor":"MSP Managed Services","cost":1500,"monthly":500,"currency":"USD","recurring":true},)"
                      R"({"agreement":{"id":"32"},"vendor":"Acme Vendor","recurring":false}])"),
            std::string::npos)
      << json;
  EXPECT_EQ(s.agreements, full_company_summary().agreements);

  // Nothing counts: no "mrr" at all, and it reads back empty.
  CompanySummary empty = full_company_summary();
  empty.mrr.clear();
  const std::string without = to_json(event_of(empty));
  EXPECT_EQ(without.find("mrr"), std::string::npos) << without;
  auto back = event_from_json(without);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(std::get<CompanySummary>(back->record).mrr.empty());
}

// v1.2: a site carries its company, main flag, addresses (same shape as a company's), phone
// and active flag.
TEST(CanonicalTest, SiteHasTheDocumentedShape) {
  const std::string json = to_json(event_of(full_site()));
  EXPECT_NE(json.find(R"("type":"site")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("name":"Acme - Leeds","company":{"id":"250","name":"Acme Corp"},"main":true,)"
                      R"("addresses":[{"street_lines":["1 Wellington St"],"city":"Leeds","region":"West Yorkshire",)"
                      R"("postal_code":"LS1 4AP","country":"United Kingdom"},)"
                      R"({"street_lines":["PO Box 7"],"postal_code":"LS2 1AA"}],)"
                      R"("phone":"0113 496 0000","active":false)"),
            std::string::npos)
      << json;
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(std::get<Site>(parsed->record), full_site());

  // No addresses: no "addresses" key; it reads back empty.
  Site bare = full_site();
  bare.addresses.clear();
  const std::string without = to_json(event_of(bare));
  EXPECT_EQ(without.find("addresses"), std::string::npos) << without;
  auto back = event_from_json(without);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(std::get<Site>(back->record).addresses.empty());
}

TEST(CanonicalTest, SiteFieldErrorsNameTheField) {
  const std::string json = to_json(event_of(full_site()));
  auto error_of = [&](std::string_view from, std::string_view to) {
    std::string text = json;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    auto parsed = event_from_json(text);
    return parsed.ok() ? std::string("ok") : parsed.error().message;
  };
  EXPECT_NE(error_of(R"("main":true,)", "").find("record.main"), std::string::npos);
  EXPECT_NE(error_of(R"("main":true)", R"("main":"yes")").find("record.main"), std::string::npos);
  EXPECT_NE(error_of(R"("name":"Acme - Leeds",)", "").find("record.name"), std::string::npos);
  EXPECT_NE(error_of(R"("company":{"id":"250",)", R"("company":{"id":"",)").find("record.company.id"),
            std::string::npos);
  EXPECT_NE(error_of(R"("street_lines":["PO Box 7"])", R"("street_lines":"PO Box 7")")
                .find("record.addresses[1].street_lines"),
            std::string::npos);
  EXPECT_NE(error_of(R"("type":"site")", R"("type":"sites")").find("site"), std::string::npos);
}

TEST(CanonicalTest, CausedByCommandAndTriggerRoundTrip) {
  Event event = event_of(full_company());
  event.caused_by_command = "rmm-alert-7731-open";
  event.trigger = "first_agreement";
  const std::string json = to_json(event);
  EXPECT_NE(json.find(R"("origin":"webhook","caused_by_command":"rmm-alert-7731-open","trigger":"first_agreement",)"
                      R"("record":{)"),
            std::string::npos)
      << json;
  auto parsed = event_from_json(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->caused_by_command, "rmm-alert-7731-open");
  EXPECT_EQ(parsed->trigger, "first_agreement");
  EXPECT_EQ(*parsed, event);

  // Unset: omitted, and an event without them reads them as unset.
  const std::string plain = to_json(event_of(full_company()));
  EXPECT_EQ(plain.find("caused_by_command"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("trigger"), std::string::npos) << plain;
  auto plain_parsed = event_from_json(plain);
  ASSERT_TRUE(plain_parsed.ok()) << plain_parsed.error().message;
  EXPECT_FALSE(plain_parsed->caused_by_command.has_value());
  EXPECT_FALSE(plain_parsed->trigger.has_value());
}

TEST(CanonicalTest, PolicyRecordAndEventFieldErrorsNameTheField) {
  auto error_for = [](const Event& event, std::string_view from, std::string_view to) {
    auto parsed = event_from_json(replaced(to_json(event), from, to));
    return parsed.ok() ? std::string("accepted") : parsed.error().message;
  };
  const Event scope = event_of(full_scope_change());
  EXPECT_EQ(error_for(scope, R"("policy":"active_customer_agreements",)", ""), "record.policy: required");
  EXPECT_EQ(error_for(scope, R"("policy":"active_customer_agreements")", R"("policy":"everything")"),
            "record.policy: must be one of active_customers, active_customer_agreements");
  EXPECT_EQ(error_for(scope, R"(,"reason":"entered")", ""), "record.reason: required");
  EXPECT_EQ(error_for(scope, R"("reason":"entered")", R"("reason":"")"), "record.reason: must not be empty");
  EXPECT_EQ(error_for(scope, R"("in_scope":true)", R"("in_scope":1)"), "record.in_scope: must be a boolean");
  EXPECT_EQ(error_for(scope, R"("company":{"id":"250","name":"Acme Corp"},)", ""), "record.company: required");
  EXPECT_EQ(error_for(scope, R"("company":{"id":"250")", R"("company":{"id":"")"),
            "record.company.id: must not be empty");

  const Event summary = event_of(full_company_summary());
  EXPECT_EQ(error_for(summary, R"("contact_count":12,)", ""), "record.contact_count: required");
  EXPECT_EQ(error_for(summary, R"("contact_count":12)", R"("contact_count":-1)"),
            "record.contact_count: must be a non-negative integer");
  EXPECT_EQ(error_for(summary, R"("contact_count":12)", R"("contact_count":1.5)"),
            "record.contact_count: must be an integer");
  EXPECT_EQ(error_for(summary, R"("active_recurring_agreements":3)", R"("active_recurring_agreements":"3")"),
            "record.active_recurring_agreements: must be an integer");
  EXPECT_EQ(error_for(summary, R"("monthly":1234.5)", R"("monthly":"1234.5")"),
            "record.mrr[0].monthly: must be a number");
  EXPECT_EQ(error_for(summary, R"("monthly":99,)", ""), "record.mrr[1].monthly: required");
  EXPECT_EQ(error_for(summary, R"("agreements":2)", R"("agreements":-2)"),
            "record.mrr[0].agreements: must be a non-negative integer");
  EXPECT_EQ(error_for(summary, R"("currency":"USD")", R"("currency":840)"), "record.mrr[0].currency: must be a string");
  EXPECT_EQ(error_for(summary, R"("mrr":[)", R"("mrr":[7,)"), "record.mrr[0]: must be an object");
  EXPECT_EQ(error_for(summary, R"("mrr":[)", R"("mrr":"none","old_mrr":[)"), "record.mrr: must be an array");

  Event event = event_of(full_company());
  event.caused_by_command = "c-1";
  event.trigger = "new";
  EXPECT_EQ(error_for(event, R"("trigger":"new")", R"("trigger":"because")"),
            "trigger: must be one of new, changed, reactivated, entered, first_agreement, resync, recompute");
  EXPECT_EQ(error_for(event, R"("trigger":"new")", R"("trigger":1)"), "trigger: must be a string");
  EXPECT_EQ(error_for(event, R"("caused_by_command":"c-1")", R"("caused_by_command":"")"),
            "caused_by_command: must not be empty");
}

}  // namespace
}  // namespace switchyard::canonical
