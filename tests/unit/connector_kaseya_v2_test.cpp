// The shared v2 client (Kaseya BMS, Pulseway PSA) on spec-shaped payloads: envelopes with their
// errors inside an HTTP 200, keys in either casing, times without a zone, versions by change time
// or by digest, and the mapping of tickets, accounts, contacts, contracts and hardware assets.
#include <gtest/gtest.h>

#include "connectors/kaseya_v2/v2_api.h"
#include "connectors/kaseya_v2/v2_json.h"
#include "connectors/registry.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

const Flavor kFlavor{"kaseya_bms", "Kaseya BMS", "Admin > Security > Roles", "advice"};

http::ClientResponse answer(int status, std::string body) {
  http::ClientResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(KaseyaV2Envelope, AFailureInsideA200IsAFailureInPlainLanguage) {
  simdjson::dom::parser parser;
  const auto a = read_answer(parser,
                             answer(200, R"({"Success":false,"Error":{"Code":403,"Message":"Jane Doe may not",
                                            "StackStrace":"secret stack"},"Result":null})"),
                             kFlavor, "reading tickets", "Service Desk > Tickets");
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.code, 403);
  EXPECT_FALSE(a.retryable);
  EXPECT_NE(a.detail.find("Service Desk > Tickets"), std::string::npos) << a.detail;
  EXPECT_NE(a.detail.find("inside an HTTP 200"), std::string::npos) << a.detail;
  EXPECT_EQ(a.detail.find("Jane Doe"), std::string::npos) << "the body is never echoed";
  EXPECT_EQ(a.detail.find("secret stack"), std::string::npos);

  const auto server = read_answer(parser, answer(200, R"({"success":false,"error":{"code":500}})"), kFlavor, "x", "y");
  EXPECT_FALSE(server.ok);
  EXPECT_TRUE(server.retryable);
  const auto no_code = read_answer(parser, answer(200, R"({"Success":false,"Error":null})"), kFlavor, "x", "y");
  EXPECT_FALSE(no_code.ok);
  EXPECT_FALSE(read_answer(parser, answer(200, "not json"), kFlavor, "x", "y").ok);
  EXPECT_FALSE(read_answer(parser, answer(200, R"({"Success":true})"), kFlavor, "x", "y").ok) << "no Result";
}

TEST(KaseyaV2Envelope, SuccessReadsResultAndTotalInEitherCasing) {
  simdjson::dom::parser parser;
  const auto pascal = read_answer(parser, answer(200, R"({"Success":true,"Error":null,"Result":[{"Id":1}],"TotalRecords":7})"),
                                  kFlavor, "x", "y");
  ASSERT_TRUE(pascal.ok);
  EXPECT_EQ(pascal.total, 7);
  const auto camel = read_answer(parser, answer(200, R"({"success":true,"result":[],"totalRecords":0})"), kFlavor, "x", "y");
  ASSERT_TRUE(camel.ok);
  EXPECT_EQ(camel.total, 0);
  const auto throttled = read_answer(parser, answer(429, ""), kFlavor, "reading tickets", "y");
  EXPECT_TRUE(throttled.retryable);
  EXPECT_NE(throttled.detail.find("1,500 calls an hour per endpoint"), std::string::npos);
}

TEST(KaseyaV2Json, TimesWithoutAZoneAreUtc) {
  EXPECT_EQ(v2_time("2024-05-01T09:00:00"), "2024-05-01T09:00:00Z");
  EXPECT_EQ(v2_time("2024-05-01T09:00:00.250"), "2024-05-01T09:00:00.250Z");
  EXPECT_EQ(v2_time("2024-05-01T11:00:00+02:00"), "2024-05-01T09:00:00Z");
  EXPECT_EQ(v2_time("yesterday"), std::nullopt);
  EXPECT_EQ(v2_date("2024-05-01T00:00:00"), "2024-05-01");
}

class KaseyaV2Mapping : public ::testing::Test {
 protected:
  Result<canonical::Record> map(std::string_view type, const std::string& json, const MappingLookup& m = {}) {
    simdjson::dom::object obj;
    EXPECT_EQ(parser_.parse(json).get(obj), simdjson::SUCCESS);
    return map_record("kaseya_bms", "acme", type, obj, m, "2026-11-25T10:00:00Z");
  }
  simdjson::dom::parser parser_;
  Mappings defaults_ = builtin_registry().find("kaseya_bms")->spec().default_mappings;
  Mappings none_;
};

TEST_F(KaseyaV2Mapping, ATicketFromTheListDto) {
  auto r = map("ticket", R"({"Id":4711,"TicketNumber":"T1","Title":"Backup failed","Details":"d","AccountId":12,
      "AccountName":"Acme","ContactId":3,"ContactName":"Wile","QueueId":2,"QueueName":"Service Desk","StatusId":5,
      "StatusName":"Completed","PriorityId":2,"PriorityName":"High","TypeId":1,"TypeName":"Incident",
      "OpenDate":"2026-11-24T08:00:00","CompletedDate":"2026-11-25T09:00:00","LastActivityUpdate":"2026-11-25T09:30:00"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.source.psa, "kaseya_bms");
  EXPECT_EQ(t.source.id, "4711");
  EXPECT_EQ(t.updated_at, "2026-11-25T09:30:00Z");
  EXPECT_EQ(t.title, "Backup failed");
  EXPECT_EQ(t.status, "Completed");
  EXPECT_EQ(t.status_id, "5");
  EXPECT_EQ(t.board->name, "Service Desk");
  EXPECT_EQ(t.company->id, "12");
  EXPECT_TRUE(t.closed);
  EXPECT_EQ(t.closed_at, "2026-11-25T09:00:00Z");
  EXPECT_FALSE(map("ticket", R"({"Id":1,"LastActivityUpdate":"2026-11-25T09:30:00"})").ok()) << "no Title";
}

TEST_F(KaseyaV2Mapping, ACompletedStatusClosesATicketThroughTheMappings) {
  const MappingLookup m(none_, defaults_);
  auto r = map("ticket", R"({"Id":1,"Title":"t","StatusName":"Completed","LastActivityUpdate":"2026-11-25T09:30:00"})", m);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::get<canonical::Ticket>(*r).closed);
  auto open = map("ticket", R"({"Id":1,"Title":"t","StatusName":"New","LastActivityUpdate":"2026-11-25T09:30:00"})", m);
  EXPECT_FALSE(std::get<canonical::Ticket>(*open).closed);
}

TEST_F(KaseyaV2Mapping, AnAccountIsClassifiedByItsTypeAndCamelCaseReadsToo) {
  const MappingLookup m(none_, defaults_);
  auto r = map("company", R"({"id":12,"accountName":"Acme","accountCode":"ACME","accountTypeId":3,"accountType":"Vendor",
      "isActive":false,"modifiedOn":"2026-11-25T09:00:00"})", m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.name, "Acme");
  EXPECT_EQ(c.identifier, "ACME");
  EXPECT_EQ(c.classification, "vendor");
  EXPECT_FALSE(c.active);
  EXPECT_EQ(c.types, std::vector<std::string>{"Vendor"});
  auto unknown = map("company", R"({"Id":13,"AccountName":"X","AccountType":"Reseller","ModifiedOn":"2026-11-25T09:00:00"})", m);
  EXPECT_EQ(std::get<canonical::Company>(*unknown).classification, std::nullopt);
}

TEST_F(KaseyaV2Mapping, ContactsContractsAndAssetsWithoutATimeTakeTheReceivedTime) {
  auto contact = map("contact", R"({"Id":3,"AccountId":12,"AccountName":"Acme","FirstName":"Wile","LastName":"Coyote",
      "EmailAddress":"wile@acme.example","IsActive":true})");
  ASSERT_TRUE(contact.ok()) << contact.error().message;
  EXPECT_EQ(std::get<canonical::Contact>(*contact).updated_at, "2026-11-25T10:00:00Z");
  EXPECT_EQ(std::get<canonical::Contact>(*contact).emails, std::vector<std::string>{"wile@acme.example"});

  auto contract = map("agreement", R"({"Id":9,"ContractName":"Managed","AccountName":"Acme","ContractType":"Recurring Service",
      "ContractBillingPrice":3000,"Status":"Active","BillingCycle":"Quarterly","StartDate":"2026-01-01T00:00:00"})");
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  const auto& a = std::get<canonical::Agreement>(*contract);
  EXPECT_EQ(a.recurring, true);
  EXPECT_EQ(a.monthly_amount, 1000.0);
  EXPECT_EQ(a.start_date, "2026-01-01");
  EXPECT_EQ(a.company, std::nullopt) << "the summary names the account without its id";

  auto asset = map("configuration", R"({"Id":5,"AssetName":"DC01","CategoryName":"Server","SerialNumber":"SN1",
      "AccountId":12,"IsActive":true})");
  ASSERT_TRUE(asset.ok()) << asset.error().message;
  EXPECT_EQ(std::get<canonical::Configuration>(*asset).serial_number, "SN1");
}

TEST(KaseyaV2Version, ByChangeTimeElseByADigestOfTheRecord) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  const std::string ticket = R"({"Id":1,"LastActivityUpdate":"2026-11-25T09:30:00"})";
  ASSERT_EQ(parser.parse(ticket).get(obj), simdjson::SUCCESS);
  EXPECT_EQ(version_of(*resource_of("ticket"), obj, ticket), "2026-11-25T09:30:00Z");
  const std::string contact = R"({"Id":3,"FirstName":"Wile"})";
  ASSERT_EQ(parser.parse(contact).get(obj), simdjson::SUCCESS);
  const std::string v1 = version_of(*resource_of("contact"), obj, contact);
  EXPECT_TRUE(v1.starts_with("sha256:"));
  EXPECT_EQ(v1, version_of(*resource_of("contact"), obj, contact)) << "stable";
  const std::string changed = R"({"Id":3,"FirstName":"Wilma"})";
  EXPECT_NE(v1, version_of(*resource_of("contact"), obj, changed));
}

TEST(KaseyaV2Connectors, BothRegisterWithAnHourlyBudgetPerEndpoint) {
  for (const char* name : {"kaseya_bms", "pulseway"}) {
    const Connector* c = builtin_registry().find(name);
    ASSERT_NE(c, nullptr) << name;
    ASSERT_TRUE(c->spec().budgets.per_endpoint_family.has_value()) << name;
    EXPECT_NEAR(c->spec().budgets.per_endpoint_family->requests_per_second * 3600, 1500, 0.01);
    EXPECT_NE(c->token_source(), nullptr);
  }
  EXPECT_FALSE(builtin_registry().find("pulseway")->decode_webhook(Tenant{}, "{}").ok()) << "no webhooks documented";
}

}  // namespace
}  // namespace switchyard::connectors::kaseya_v2
