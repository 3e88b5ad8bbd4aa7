// Canonical v1.1 fields as both connectors map them from realistic PSA records: ids beside
// labels, ticket types, company addresses and the company classification resolved through the
// tenant's "mappings" over the connector's defaults (docs/schema.md, docs/psa/*.md).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "common/envelope.h"
#include "common/mappings.h"
#include "connectors/registry.h"

namespace switchyard::connectors {
namespace {

Envelope polled(const std::string& psa, const std::string& tenant, const std::string& entity, const std::string& id,
                const std::string& body) {
  Envelope e;
  e.tenant = tenant;
  e.psa = psa;
  e.entity = entity;
  e.entity_id = id;
  e.action = "updated";
  e.source = "poll";
  e.received_at = "2026-11-25T10:00:02.500Z";
  e.idempotency_key = std::string(64, '0');
  e.body = body;
  return e;
}

Mappings classification_override(std::string from, std::string to) {
  Mappings m;
  m.tables["company_classification"][std::move(from)] = std::move(to);
  return m;
}

class CanonicalV11Test : public ::testing::Test {
 protected:
  Result<canonical::Record> map(const std::string& psa, const Envelope& e, const Mappings& tenant_mappings = {}) {
    const Connector* connector = builtin_registry().find(psa);
    EXPECT_NE(connector, nullptr);
    return connector->to_canonical(e, parser_, tenant_mappings);
  }
  simdjson::dom::parser parser_;
};

// A company as ConnectWise returns it from GET /company/companies/{id}.
const std::string kCwCompany =
    R"({"id":250,"identifier":"AcmeCorp","name":"Acme Corp","status":{"id":1,"name":"Active"},)"
    R"("types":[{"id":1,"name":"Client"},{"id":5,"name":"Partner"}],"deletedFlag":false,"isVendorFlag":false,)"
    R"("addressLine1":"1 Main St","addressLine2":"Suite 200","city":"Springfield","state":"IL","zip":"62701",)"
    R"("country":{"id":1,"name":"United States"},"phoneNumber":"555-0100","website":"https://acme.example",)"
    R"("_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";

TEST_F(CanonicalV11Test, ConnectWiseCompanyEmailsAreTheInvoicingAddresses) {
  std::string record = kCwCompany;
  record.insert(record.find(R"("_info")"),
                R"("invoiceToEmailAddress":"billing@acme.example","invoiceCCEmailAddress":"cfo@acme.example; billing@acme.example ,ap@acme.example;",)");
  auto r = map("connectwise", polled("connectwise", "acme", "company", "250", record));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::get<canonical::Company>(*r).emails,
            (std::vector<std::string>{"billing@acme.example", "cfo@acme.example", "ap@acme.example"}));
}

TEST_F(CanonicalV11Test, ConnectWiseCompanyAddressIdsAndDefaultClassification) {
  auto r = map("connectwise", polled("connectwise", "acme", "company", "250", kCwCompany));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.status_id, std::optional<std::string>("1"));
  EXPECT_EQ(c.type_ids, (std::vector<std::string>{"1", "5"}));
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0], (canonical::Address{{"1 Main St", "Suite 200"}, "Springfield", "IL", "62701",
                                                "United States"}));
  EXPECT_TRUE(c.emails.empty());  // no invoicing address: no e-mail
  EXPECT_EQ(c.classification, std::optional<std::string>("customer"));  // "Client", the connector default
}

TEST_F(CanonicalV11Test, ConnectWiseTenantMappingOverridesTheDefault) {
  auto r = map("connectwise", polled("connectwise", "acme", "company", "250", kCwCompany),
               classification_override("Client", "partner"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::get<canonical::Company>(*r).classification, std::optional<std::string>("partner"));
}

TEST_F(CanonicalV11Test, ConnectWiseCompanyTypeByIdAndUnmappedTypes) {
  // A tenant's own type ("Reseller", id 9) mapped by id; no type maps → no classification.
  std::string record = kCwCompany;
  const std::string stock_types = R"({"id":1,"name":"Client"},{"id":5,"name":"Partner"})";
  record.replace(record.find(stock_types), stock_types.size(), R"({"id":9,"name":"Reseller"})");
  auto unmapped = map("connectwise", polled("connectwise", "acme", "company", "250", record));
  ASSERT_TRUE(unmapped.ok()) << unmapped.error().message;
  EXPECT_FALSE(std::get<canonical::Company>(*unmapped).classification.has_value());
  auto by_id = map("connectwise", polled("connectwise", "acme", "company", "250", record),
                   classification_override("9", "partner"));
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  EXPECT_EQ(std::get<canonical::Company>(*by_id).classification, std::optional<std::string>("partner"));
}

TEST_F(CanonicalV11Test, ConnectWiseTicketCarriesIdsBesideLabelsAndItsType) {
  const std::string ticket =
      R"({"id":1001,"summary":"Printer down","board":{"id":5,"name":"Help Desk"},)"
      R"("status":{"id":16,"name":"New"},"priority":{"id":8,"name":"Priority 3 - Normal","sort":6},)"
      R"("type":{"id":3,"name":"Hardware"},"subType":{"id":11,"name":"Printer"},"closedFlag":false,)"
      R"("_info":{"lastUpdated":"2026-11-25T10:00:00Z","dateEntered":"2026-11-24T09:30:00Z"}})";
  auto r = map("connectwise", polled("connectwise", "acme", "ticket", "1001", ticket));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.status, std::optional<std::string>("New"));
  EXPECT_EQ(t.status_id, std::optional<std::string>("16"));
  EXPECT_EQ(t.priority, std::optional<std::string>("Priority 3 - Normal"));
  EXPECT_EQ(t.priority_id, std::optional<std::string>("8"));
  EXPECT_EQ(t.type, std::optional<std::string>("Hardware"));
  EXPECT_EQ(t.type_id, std::optional<std::string>("3"));
  EXPECT_EQ(t.subtype, std::optional<std::string>("Printer"));
  EXPECT_EQ(t.subtype_id, std::optional<std::string>("11"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"5", "Help Desk"})));  // the id is in the ref
}

// A company as Autotask returns it from /V1.0/Companies/query.
const std::string kAtCompany =
    R"({"id":250,"companyName":"Acme Corp","companyNumber":"ACME01","companyType":7,"isActive":true,)"
    R"("address1":"1 Main St","address2":"","city":"Springfield","state":"IL","postalCode":"62701",)"
    R"("countryID":237,"phone":"555-0100","webAddress":"https://acme.example",)"
    R"("lastActivityDate":"2026-11-25T08:00:00Z","userDefinedFields":[]})";

TEST_F(CanonicalV11Test, AutotaskCompanyAddressAndDefaultClassificationFromThePicklist) {
  auto r = map("autotask", polled("autotask", "beta", "company", "250", kAtCompany));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Company>(*r);
  EXPECT_EQ(c.types, (std::vector<std::string>{"7"}));  // v1 meaning kept: the picklist value
  EXPECT_EQ(c.type_ids, (std::vector<std::string>{"7"}));
  EXPECT_EQ(c.classification, std::optional<std::string>("vendor"));  // 7 = Vendor
  ASSERT_EQ(c.addresses.size(), 1u);
  // Empty address lines are dropped; the country stays Autotask's country id.
  EXPECT_EQ(c.addresses[0], (canonical::Address{{"1 Main St"}, "Springfield", "IL", "62701", "237"}));
}

TEST_F(CanonicalV11Test, AutotaskEveryDefaultCompanyTypeAndATenantOverride) {
  const std::map<std::string, std::string> expected = {{"1", "customer"}, {"2", "prospect"}, {"3", "prospect"},
                                                       {"4", "other"},    {"6", "other"},    {"7", "vendor"},
                                                       {"8", "partner"}};
  for (const auto& [type, classification] : expected) {
    std::string record = kAtCompany;
    record.replace(record.find(R"("companyType":7)"), 15, R"("companyType":)" + type);
    auto r = map("autotask", polled("autotask", "beta", "company", "250", record));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(std::get<canonical::Company>(*r).classification, std::optional<std::string>(classification)) << type;
  }
  auto overridden = map("autotask", polled("autotask", "beta", "company", "250", kAtCompany),
                        classification_override("7", "partner"));
  ASSERT_TRUE(overridden.ok()) << overridden.error().message;
  EXPECT_EQ(std::get<canonical::Company>(*overridden).classification, std::optional<std::string>("partner"));
  // A picklist value nobody maps (an instance's own) gets no classification.
  std::string custom = kAtCompany;
  custom.replace(custom.find(R"("companyType":7)"), 15, R"("companyType":42)");
  auto unmapped = map("autotask", polled("autotask", "beta", "company", "250", custom));
  ASSERT_TRUE(unmapped.ok()) << unmapped.error().message;
  EXPECT_FALSE(std::get<canonical::Company>(*unmapped).classification.has_value());
}

TEST_F(CanonicalV11Test, AutotaskTicketCarriesPicklistIdsAndTicketType) {
  const std::string ticket =
      R"({"id":123,"ticketNumber":"T20261125.0042","title":"VPN & email down","status":5,"priority":1,)"
      R"("queueID":29682833,"companyID":250,"ticketType":1,"issueType":0,)"
      R"("createDate":"2026-11-25T09:41:12.500Z","lastActivityDate":"2026-11-25T10:00:00.870Z"})";
  auto r = map("autotask", polled("autotask", "beta", "ticket", "123", ticket));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& t = std::get<canonical::Ticket>(*r);
  EXPECT_EQ(t.status, std::optional<std::string>("5"));
  EXPECT_EQ(t.status_id, std::optional<std::string>("5"));
  EXPECT_EQ(t.priority_id, std::optional<std::string>("1"));
  EXPECT_EQ(t.type, std::optional<std::string>("1"));
  EXPECT_EQ(t.type_id, std::optional<std::string>("1"));
  EXPECT_EQ(t.board, (std::optional<canonical::Ref>(canonical::Ref{"29682833", std::nullopt})));
}

}  // namespace
}  // namespace switchyard::connectors
