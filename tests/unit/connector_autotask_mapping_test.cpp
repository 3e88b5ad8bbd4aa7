// Autotask records → canonical v1.1 on payloads shaped as the REST API returns them (the per-entity
// models of docs/psa/autotask.md#6-mapping-canonical-v11): picklist labels from the tenant's label
// tables (ids when none are known, counted as misses), contacts, configuration items, contracts
// with their services; the label tables' JSON form; the zone lookup's checks.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/envelope.h"
#include "common/label_tables.h"
#include "connectors/autotask/zone.h"
#include "connectors/registry.h"
#include "support/fake_psa_http.h"

namespace switchyard::connectors::autotask {
namespace {

using switchyard::testing::FakePsaHttp;

class AutotaskMappingTest : public ::testing::Test {
 protected:
  static const Connector& connector() { return *builtin_registry().find("autotask"); }

  Result<canonical::Record> map(const std::string& entity, const std::string& body, const LabelTables* labels = nullptr,
                                size_t* misses = nullptr, const Mappings& mappings = {}) {
    Envelope e;
    e.tenant = "beta";
    e.psa = "autotask";
    e.entity = entity;
    e.entity_id = "1";
    e.action = "updated";
    e.source = "poll";
    e.received_at = "2026-11-25T10:00:00.000Z";
    e.idempotency_key = std::string(64, 'b');
    e.body = body;
    return connector().to_canonical(e, parser_, mappings, labels, misses);
  }

  static LabelTables stock_labels() {
    LabelTables t;
    t.tables["ticket.status"] = {{"5", "Complete"}, {"8", "In Progress"}};
    t.tables["ticket.priority"] = {{"1", "High"}};
    t.tables["ticket.queueID"] = {{"29682833", "Monitoring Alert"}};
    t.tables["ticket.ticketType"] = {{"5", "Alert"}};
    t.tables["ticket.issueType"] = {{"14", "Hardware"}};
    t.tables["ticket.subIssueType"] = {{"203", "Printer"}};
    t.tables["ticket.source"] = {{"8", "Monitoring Alert"}};
    t.tables["company.companyType"] = {{"1", "Customer"}, {"9", "Reseller"}};
    t.tables["agreement.contractType"] = {{"7", "Recurring Service"}, {"4", "Block Hours"}};
    t.tables["agreement.status"] = {{"1", "Active"}};
    t.tables["agreement.contractPeriodType"] = {{"2", "Quarterly"}};
    t.tables["configuration.configurationItemType"] = {{"1", "Server"}};
    return t;
  }

  simdjson::dom::parser parser_;
};

// A ticket as GET /V1.0/Tickets/query returns it: picklists as integers, dates with milliseconds.
constexpr const char* kTicket =
    R"({"id":30684,"ticketNumber":"T20261125.0042","title":"Printer offline","description":"Floor 2",)"
    R"("status":5,"priority":1,"queueID":29682833,"ticketType":5,"issueType":14,"subIssueType":203,"source":8,)"
    R"("companyID":250,"contactID":30,"externalID":"alert-7","createDate":"2026-11-25T09:41:12.500Z",)"
    R"("completedDate":"2026-11-25T10:00:00.000Z","lastActivityDate":"2026-11-25T10:00:00.870Z",)"
    R"("userDefinedFields":[]})";

TEST_F(AutotaskMappingTest, TicketPicklistsCarryTheirLabelsAndIds) {
  const LabelTables labels = stock_labels();
  size_t misses = 0;
  auto r = map("ticket", kTicket, &labels, &misses);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.status, std::optional<std::string>("Complete"));
  EXPECT_EQ(t.status_id, std::optional<std::string>("5"));
  EXPECT_EQ(t.priority, std::optional<std::string>("High"));
  EXPECT_EQ(t.priority_id, std::optional<std::string>("1"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"29682833", "Monitoring Alert"})));
  EXPECT_EQ(t.type, std::optional<std::string>("Alert"));
  EXPECT_EQ(t.issue_type, std::optional<std::string>("Hardware"));
  EXPECT_EQ(t.issue_type_id, std::optional<std::string>("14"));
  EXPECT_EQ(t.subtype, std::optional<std::string>("Printer"));
  EXPECT_EQ(t.subtype_id, std::optional<std::string>("203"));
  EXPECT_EQ(t.channel, std::optional<std::string>("Monitoring Alert"));
  EXPECT_EQ(t.channel_id, std::optional<std::string>("8"));
  EXPECT_TRUE(t.closed);
  EXPECT_EQ(t.closed_at, std::optional<std::string>("2026-11-25T10:00:00Z"));
  EXPECT_EQ(misses, 0u);
}

TEST_F(AutotaskMappingTest, WithoutLabelsIdsStandInAndEachIsCounted) {
  size_t misses = 0;
  auto r = map("ticket", kTicket, nullptr, &misses);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.status, std::optional<std::string>("5"));
  EXPECT_EQ(t.subtype, std::optional<std::string>("203"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"29682833", std::nullopt})))
      << "a reference is never named by its id";
  EXPECT_EQ(misses, 7u);  // status, priority, queue, type, issue, sub-issue, source

  // A label the tables lack is a miss too; the others are named.
  LabelTables partial = stock_labels();
  partial.tables.erase("ticket.source");
  misses = 0;
  auto named = map("ticket", kTicket, &partial, &misses);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(std::get<canonical::Ticket>(*named).channel, std::optional<std::string>("8"));
  EXPECT_EQ(misses, 1u);
}

TEST_F(AutotaskMappingTest, ACompanyTypeIsClassifiedByIdOrByLabel) {
  const std::string company =
      R"({"id":251,"companyName":"Reseller Co","companyType":9,"isActive":true,"webAddress":"https://r.example",)"
      R"("phone":"555-0200","lastActivityDate":"2026-11-25T08:00:00Z"})";
  const LabelTables labels = stock_labels();
  Mappings tenant;
  tenant.tables["company_classification"] = {{"Reseller", "partner"}};
  auto r = map("company", company, &labels, nullptr, tenant);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.types, std::vector<std::string>{"Reseller"});
  EXPECT_EQ(c.type_ids, std::vector<std::string>{"9"});
  EXPECT_EQ(c.classification, std::optional<std::string>("partner"));
  EXPECT_EQ(c.website, std::optional<std::string>("https://r.example"));
}

TEST_F(AutotaskMappingTest, AContactKeepsItsNonEmptyEmailsAndPhonesAndIntegerActiveFlag) {
  const std::string contact =
      R"({"id":31,"companyID":250,"firstName":"Wile","lastName":"Coyote","emailAddress":"",)"
      R"("emailAddress2":"wile@acme.example","emailAddress3":null,"phone":"555-0101","mobilePhone":"",)"
      R"("alternatePhone":"555-0109","isActive":0,"lastActivityDate":"2026-11-20T10:00:00.000Z",)"
      R"("lastModifiedDate":"2026-11-25T08:30:00.000Z"})";
  auto r = map("contact", contact);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Contact>(*r);
  EXPECT_EQ(c.emails, std::vector<std::string>{"wile@acme.example"});
  EXPECT_EQ(c.phones, (std::vector<std::string>{"555-0101", "555-0109"}));
  EXPECT_FALSE(c.active);
  EXPECT_EQ(c.company, (std::optional<canonical::Ref>(canonical::Ref{"250", std::nullopt})));
  EXPECT_EQ(c.updated_at, "2026-11-25T08:30:00Z") << "a contact's change stamp is lastModifiedDate";
}

TEST_F(AutotaskMappingTest, AConfigurationItemIsNamedAndKeepsVendorNotesOnlyWhenSwitchyardWroteThem) {
  const std::string rmm_item =
      R"({"id":401,"companyID":250,"referenceTitle":"","rmmDeviceAuditHostname":"ACME-WS17",)"
      R"("serialNumber":"SN-17","configurationItemType":1,"isActive":false,"referenceNumber":"RMM-17",)"
      R"("notes":"Vendor device: not-ours","warrantyExpirationDate":"2027-02-01T00:00:00.000Z",)"
      R"("lastModifiedTime":"2026-11-25T08:00:00.000Z"})";
  const LabelTables labels = stock_labels();
  auto r = map("configuration", rmm_item, &labels);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Configuration>(*r);
  EXPECT_EQ(c.name, "ACME-WS17");
  EXPECT_EQ(c.type, std::optional<std::string>("Server"));
  EXPECT_FALSE(c.active);
  EXPECT_EQ(c.warranty_expiry_date, std::optional<std::string>("2027-02-01"));
  EXPECT_FALSE(c.vendor_ref.has_value()) << "notes of an item Switchyard did not push are not read";
}

TEST_F(AutotaskMappingTest, ARecurringContractTakesItsValuePeriodAndSharedVendorFromItsServices) {
  const std::string contract =
      R"({"id":200,"contractName":"Managed","contractType":7,"companyID":250,"status":1,)"
      R"("contractPeriodType":2,"startDate":"2026-01-01T00:00:00.000Z","endDate":"2026-12-31T00:00:00.000Z",)"
      R"("lastModifiedDateTime":"2026-11-25T08:00:00.000Z","contractServices":[)"
      R"({"id":500,"contractID":200,"unitPrice":50.0,"units":10,"vendorCompanyID":"101"},)"
      R"({"id":501,"contractID":200,"unitPrice":200.0,"periodPrice":150.0,"units":1,"vendorCompanyID":"101"}]})";
  const LabelTables labels = stock_labels();
  auto r = map("agreement", contract, &labels);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& a = std::get<canonical::Agreement>(*r);
  EXPECT_EQ(a.type, std::optional<std::string>("Recurring Service"));
  EXPECT_EQ(a.recurring, std::optional<bool>(true));
  EXPECT_EQ(a.bill_amount, std::optional<double>(650));  // 10 × 50, and the units' own price 150
  EXPECT_EQ(a.billing_cycle, std::optional<std::string>("Quarterly"));
  EXPECT_EQ(a.billing_period, std::optional<std::string>("quarterly"));
  ASSERT_TRUE(a.monthly_amount.has_value());
  EXPECT_NEAR(*a.monthly_amount, 650.0 / 3, 1e-9);
  EXPECT_EQ(a.vendor, (std::optional<canonical::Ref>(canonical::Ref{"101", std::nullopt})));
  EXPECT_EQ(a.start_date, std::optional<std::string>("2026-01-01"));

  // Services of two vendors name none; a contract that is not recurring has no value or period.
  std::string mixed = contract;
  mixed.replace(mixed.rfind("\"101\""), 5, "\"102\"");
  auto m = map("agreement", mixed, &labels);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(std::get<canonical::Agreement>(*m).vendor.has_value());
  std::string block = contract;
  block.replace(block.find("\"contractType\":7"), 16, "\"contractType\":4");
  auto b = map("agreement", block, &labels);
  ASSERT_TRUE(b.ok());
  const auto& ba = std::get<canonical::Agreement>(*b);
  EXPECT_EQ(ba.recurring, std::optional<bool>(false));
  EXPECT_FALSE(ba.bill_amount.has_value());
  EXPECT_FALSE(ba.billing_period.has_value());
}

TEST_F(AutotaskMappingTest, WithoutLabelsTheStockRecurringServiceIdDecidesAndThePeriodWaits) {
  const std::string contract =
      R"({"id":200,"contractName":"Managed","contractType":7,"contractPeriodType":2,)"
      R"("lastModifiedDateTime":"2026-11-25T08:00:00.000Z","contractServices":[{"id":500,"unitPrice":50.0}]})";
  auto r = map("agreement", contract);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& a = std::get<canonical::Agreement>(*r);
  EXPECT_EQ(a.recurring, std::optional<bool>(true));
  EXPECT_EQ(a.bill_amount, std::optional<double>(50));
  EXPECT_EQ(a.billing_cycle_id, std::optional<std::string>("2"));
  EXPECT_FALSE(a.billing_period.has_value()) << "a period is never guessed from an id";
}

TEST(LabelTablesTest, RoundTripAndBounds) {
  LabelTables t;
  t.tables["ticket.status"] = {{"5", "Complete"}, {"7", "Waiting \"Customer\""}};
  auto back = label_tables_from_json(label_tables_to_json(t));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, t);
  EXPECT_FALSE(label_tables_from_json("[]").ok());
  EXPECT_FALSE(label_tables_from_json(R"({"t":{"5":5}})").ok());
  EXPECT_FALSE(label_tables_from_json(R"({"t":{"5":")" + std::string(kMaxLabelLength + 1, 'x') + "\"}}").ok());
}

class AutotaskZoneUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    forget_zones();
    tenant_.id = "zone-unit";
    tenant_.psa = "autotask";
    tenant_.credentials = {{"username", "api@example.com"}, {"secret", "s3cret-value"}, {"integration_code", "CODE"}};
  }
  Tenant tenant_;
};

TEST_F(AutotaskZoneUnitTest, AZoneOutsideAutotaskIsNeverUsed) {
  FakePsaHttp http;
  http.reply(200, R"({"zoneName":"x","url":"https://webservices2.evil.example/ATServicesRest/","webUrl":"","ci":1})");
  auto zone = lookup_zone(tenant_, http);
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().code, "invalid_zone");
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url,
            "https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation?user=api%40example.com");

  FakePsaHttp plain;
  plain.reply(200, R"({"url":"http://webservices2.autotask.net/ATServicesRest/"})");
  auto insecure = lookup_zone(tenant_, plain);
  ASSERT_FALSE(insecure.ok());
  EXPECT_EQ(insecure.error().code, "invalid_zone");
}

TEST_F(AutotaskZoneUnitTest, AValidationErrorIsNotTakenForAWrongZone) {
  tenant_.base_url = "https://webservices2.autotask.net/ATServicesRest";
  FakePsaHttp http;
  http.reply(500, R"({"errors":["Value does not reference an existing entity for taskType."]})");
  ZoneHttp zoned(tenant_, http);
  auto r = zoned.send({.method = "POST", .url = tenant_.base_url + "/V1.0/Tickets", .body = "{}"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(http.requests.size(), 1u) << "no zone lookup for a field's validation";

  // An authentication failure is: the zone is looked up, and the same zone leaves the answer as is.
  FakePsaHttp auth;
  auth.reply(401, R"({"errors":["User is not authenticated."]})");
  auth.reply(200, R"({"url":"https://webservices2.autotask.net/ATServicesRest/"})");
  ZoneHttp again(tenant_, auth);
  auto denied = again.send({.method = "GET", .url = tenant_.base_url + "/V1.0/Tickets/1"});
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 401);
  ASSERT_EQ(auth.requests.size(), 2u);
  EXPECT_NE(auth.requests[1].url.find("zoneInformation"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::connectors::autotask
