// ConnectWise agreements, agreement additions and configurations, shaped as the REST API returns
// them (the public ConnectWise Manage models: Agreement, Addition, CompanyConfiguration): mapped to
// canonical v1.1, decoded from callbacks, deleted as their own type, and polled like the others.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "common/canonical.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/registry.h"
#include "support/connectwise_samples.h"
#include "support/fake_psa_http.h"
#include "support/reference_signatures.h"

namespace switchyard::connectors::connectwise {
namespace {

using switchyard::testing::callback_json;

std::string agreement_json(const std::string& extra = "") {
  return R"({"id":31,"name":"Managed Services - Gold","type":{"id":4,"name":"Managed Services"},)"
         R"("company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},"contact":{"id":77,"name":"Jane Roe"},)"
         R"("agreementStatus":"Active","startDate":"2026-01-01T00:00:00Z","endDate":"2026-12-31T00:00:00Z",)"
         R"("noEndingDateFlag":false,"billAmount":1500.0,"billingCycle":{"id":3,"name":"Quarterly"},)"
         R"("cancelledFlag":false,"oneTimeFlag":false,"billOneTimeFlag":false,)"
         R"("currency":{"id":1,"symbol":"$","currencyCode":"USD","name":"US Dollars"},)"
         R"("customFields":[{"id":9,"caption":"Contract owner","type":"Text","value":"ops"}],)" +
         extra + R"("_info":{"lastUpdated":"2026-11-25T09:00:00Z","updatedBy":"jroe"}})";
}

std::string addition_json(const std::string& bill_customer = "Billable") {
  return R"({"id":901,"agreementId":31,"product":{"id":12,"identifier":"AV-SEAT"},"quantity":25,)"
         R"("lessIncluded":0,"unitPrice":3.5,"unitCost":1.25,"billCustomer":")" + bill_customer +
         R"(","effectiveDate":"2026-11-01T00:00:00Z","description":"Antivirus seats","uom":"Each",)"
         R"("_info":{"lastUpdated":"2026-11-25T09:05:00Z"}})";
}

std::string configuration_json(const std::string& extra = "") {
  return R"({"id":4410,"name":"ACME-FS01","type":{"id":2,"name":"Server"},"status":{"id":1,"name":"Active"},)"
         R"("company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},"serialNumber":"SN-8842-X",)"
         R"("activeFlag":true,"purchaseDate":"2024-03-15T00:00:00Z","warrantyExpirationDate":"2027-03-15T00:00:00Z",)"
         R"("installationDate":"2024-03-20T00:00:00Z","modelNumber":"R650",)" +
         extra + R"("_info":{"lastUpdated":"2026-11-25T09:10:00Z"}})";
}

class ConnectWiseFinanceTest : public ::testing::Test {
 protected:
  const Connector& connector() const { return *builtin_registry().find("connectwise"); }

  Result<canonical::Record> polled(const std::string& entity, const std::string& id, const std::string& body) {
    return connector().to_canonical(envelope("poll", "updated", entity, id, body), parser_);
  }

  Envelope envelope(const std::string& source, const std::string& action, const std::string& entity,
                    const std::string& id, const std::string& body) const {
    return testing::cw_envelope(source, action, entity, id, body);
  }

  simdjson::dom::parser parser_;
};

TEST_F(ConnectWiseFinanceTest, AgreementWithItsBillingPeriodAndMonthlyAmount) {
  auto r = polled("agreement", "31", agreement_json());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& a = std::get<canonical::Agreement>(*r);
  EXPECT_EQ(a.source, (canonical::SourceRef{"connectwise", "finance/agreements", "31"}));
  EXPECT_EQ(a.name, "Managed Services - Gold");
  EXPECT_EQ(a.type, "Managed Services");
  EXPECT_EQ(a.type_id, "4");
  EXPECT_EQ(a.company, (canonical::Ref{"250", "Acme Corp"}));
  EXPECT_EQ(a.status, "Active");
  EXPECT_EQ(a.start_date, "2026-01-01");
  EXPECT_EQ(a.end_date, "2026-12-31");
  EXPECT_EQ(a.bill_amount, 1500.0);
  EXPECT_EQ(a.billing_cycle, "Quarterly");
  EXPECT_EQ(a.billing_cycle_id, "3");
  EXPECT_EQ(a.billing_period, "quarterly");
  ASSERT_TRUE(a.monthly_amount.has_value());
  EXPECT_DOUBLE_EQ(*a.monthly_amount, 500.0);
  EXPECT_EQ(a.recurring, true);
  EXPECT_EQ(a.cancelled, false);
  EXPECT_EQ(a.currency, "USD");
  EXPECT_FALSE(a.vendor.has_value()) << "a ConnectWise agreement has no vendor: never a default";
  EXPECT_EQ(std::get<std::string>(a.custom_fields.at("Contract owner")), "ops");
  EXPECT_EQ(a.updated_at, "2026-11-25T09:00:00Z");
}

TEST_F(ConnectWiseFinanceTest, CancelledAndOneTimeAgreements) {
  auto cancelled = polled("agreement", "31", agreement_json(R"("dateCancelled":"2026-06-30T00:00:00Z",)"));
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(std::get<canonical::Agreement>(*cancelled).cancelled, false);  // the flag decides, not the date

  std::string flagged = agreement_json();
  flagged.replace(flagged.find(R"("cancelledFlag":false)"), 21, R"("cancelledFlag":true )");
  EXPECT_EQ(std::get<canonical::Agreement>(polled("agreement", "31", flagged).value()).cancelled, true);

  std::string once = agreement_json();
  once.replace(once.find(R"("oneTimeFlag":false)"), 19, R"("oneTimeFlag":true )");
  const auto a = std::get<canonical::Agreement>(polled("agreement", "31", once).value());
  EXPECT_EQ(a.recurring, false);
  EXPECT_EQ(a.billing_period, "one_time");
  EXPECT_FALSE(a.monthly_amount.has_value());
}

TEST_F(ConnectWiseFinanceTest, AgreementNeedsANameAndValidDates) {
  auto nameless = polled("agreement", "31", R"({"id":31,"_info":{"lastUpdated":"2026-11-25T09:00:00Z"}})");
  ASSERT_FALSE(nameless.ok());
  EXPECT_NE(nameless.error().message.find("name"), std::string::npos);
  std::string bad_date = agreement_json();
  bad_date.replace(bad_date.find("2026-12-31T00:00:00Z"), 20, "31/12/2026");
  auto r = polled("agreement", "31", bad_date);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("endDate"), std::string::npos) << r.error().message;
}

TEST_F(ConnectWiseFinanceTest, AnAdditionIsABillingLineOfItsAgreement) {
  auto r = polled("billing_line", "901", addition_json());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& b = std::get<canonical::BillingLine>(*r);
  EXPECT_EQ(b.agreement, (canonical::Ref{"31", std::nullopt}));
  EXPECT_EQ(b.description, "Antivirus seats");
  EXPECT_EQ(b.product, "AV-SEAT");
  EXPECT_DOUBLE_EQ(b.quantity, 25);
  EXPECT_EQ(b.unit_price, 3.5);
  EXPECT_EQ(b.unit_cost, 1.25);
  EXPECT_EQ(b.effective_date, "2026-11-01");
  EXPECT_TRUE(b.billable);
  EXPECT_FALSE(std::get<canonical::BillingLine>(polled("billing_line", "901", addition_json("NoCharge")).value()).billable);
}

TEST_F(ConnectWiseFinanceTest, ConfigurationWithItsLifecycleDates) {
  auto r = polled("configuration", "4410", configuration_json());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = std::get<canonical::Configuration>(*r);
  EXPECT_EQ(c.source, (canonical::SourceRef{"connectwise", "company/configurations", "4410"}));
  EXPECT_EQ(c.name, "ACME-FS01");
  EXPECT_EQ(c.type, "Server");
  EXPECT_EQ(c.type_id, "2");
  EXPECT_EQ(c.status, "Active");
  EXPECT_EQ(c.status_id, "1");
  EXPECT_EQ(c.company, (canonical::Ref{"250", "Acme Corp"}));
  EXPECT_EQ(c.serial_number, "SN-8842-X");
  EXPECT_TRUE(c.active);
  EXPECT_EQ(c.purchase_date, "2024-03-15");
  EXPECT_EQ(c.warranty_expiry_date, "2027-03-15");
  EXPECT_FALSE(c.vendor_ref.has_value());
  auto pushed = polled("configuration", "4410",
                       configuration_json(R"("deviceIdentifier":"dev-77","managementLink":"https://vendor.example/d/77",)"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(std::get<canonical::Configuration>(*pushed).vendor_ref,
            (canonical::VendorRef{"dev-77", std::string("https://vendor.example/d/77")}));
  std::string inactive = configuration_json();
  inactive.replace(inactive.find(R"("activeFlag":true)"), 17, R"("activeFlag":false)");
  EXPECT_FALSE(std::get<canonical::Configuration>(polled("configuration", "4410", inactive).value()).active);
}

TEST_F(ConnectWiseFinanceTest, CallbacksOfAgreementsAndConfigurationsDecodeAndMap) {
  Tenant tenant;
  tenant.id = "acme";
  for (const auto& [type, id, body] : {std::tuple{"agreement", "31", agreement_json()},
                                       std::tuple{"configuration", "4410", configuration_json()},
                                       std::tuple{"Configuration", "4410", configuration_json()}}) {
    const std::string callback = callback_json("updated", type, id, body);
    auto changes = connector().decode_webhook(tenant, callback);
    ASSERT_TRUE(changes.ok()) << type << ": " << changes.error().message;
    ASSERT_EQ(changes->size(), 1u);
    const Change& c = changes->front();
    EXPECT_EQ(c.entity, std::string(type) == "agreement" ? "agreement" : "configuration");
    EXPECT_EQ(c.entity_id, id);
    auto record = connector().to_canonical(envelope("webhook", "updated", c.entity, id, callback), parser_);
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(canonical::type_name(*record), c.entity);
  }
}

TEST_F(ConnectWiseFinanceTest, ADeleteIsADeleteOfThatEntitysType) {
  const std::pair<std::string, std::string> cases[] = {
      {"ticket", "ticket"}, {"company", "company"}, {"contact", "contact"},
      {"agreement", "agreement"}, {"configuration", "configuration"}, {"billing_line", "billing_line"}};
  for (const auto& [entity, type] : cases) {
    auto r = connector().to_canonical(
        envelope("webhook", "deleted", entity, "5", callback_json("deleted", entity, "5", "")), parser_);
    ASSERT_TRUE(r.ok()) << entity << ": " << r.error().message;
    EXPECT_EQ(canonical::type_name(*r), type);
  }
  const auto a = std::get<canonical::Agreement>(
      connector().to_canonical(envelope("webhook", "deleted", "agreement", "31", "{}"), parser_).value());
  EXPECT_EQ(a.cancelled, true);
  const auto c = std::get<canonical::Configuration>(
      connector().to_canonical(envelope("webhook", "deleted", "configuration", "9", "{}"), parser_).value());
  EXPECT_FALSE(c.active);
}

TEST_F(ConnectWiseFinanceTest, AgreementsAndConfigurationsArePolledAdditionsAreNot) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.base_url = "https://cw.example/v4_6_release/apis/3.0";
  tenant.credentials = {{"company_id", "acme"}, {"public_key", "p"}, {"private_key", "k"}, {"client_id", "c"}};
  for (const auto& [entity, path] : {std::pair{"agreement", "/finance/agreements?"},
                                     std::pair{"configuration", "/company/configurations?"}}) {
    testing::FakePsaHttp psa;
    psa.reply(200, "[]");
    auto r = connector().poll(tenant, psa, PollRequest{entity, "2026-11-25T00:00:00Z"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(psa.requests.size(), 1u);
    EXPECT_NE(psa.requests[0].url.find(tenant.base_url + path), std::string::npos) << psa.requests[0].url;
  }
  testing::FakePsaHttp psa;
  auto additions = connector().poll(tenant, psa, PollRequest{"billing_line", ""});
  ASSERT_FALSE(additions.ok());
  EXPECT_EQ(additions.error().code, "unsupported_entity");
  EXPECT_TRUE(psa.requests.empty());
}

TEST_F(ConnectWiseFinanceTest, TheKeyUrlIsTrustedOnlyOnTheTenantsHost) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.base_url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
  const auto named = [&](const std::string& url) {
    return connector().webhook_key_url(tenant, R"({"Type":"ticket","Metadata":{"key_url":")" + url + R"("}})");
  };
  auto own = named("https://API-NA.myconnectwise.net/v4_6_release/apis/3.0/system/callbackentries/key/42");
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own->has_value());
  for (const std::string& evil : {std::string("https://evil.example/key"), std::string("http://api-na.myconnectwise.net/x"),
                                  std::string("https://api-na.myconnectwise.net:8443/x"),
                                  std::string("https://api-na.myconnectwise.net.evil.example/x"),
                                  std::string("not a url")}) {
    auto r = named(evil);
    ASSERT_FALSE(r.ok()) << evil;
    EXPECT_EQ(r.error().code, "untrusted_key_url");
  }
  // No key_url (or no JSON): nothing to fetch; the configured secrets decide.
  EXPECT_FALSE(connector().webhook_key_url(tenant, R"({"Type":"ticket"})").value().has_value());
  EXPECT_FALSE(connector().webhook_key_url(tenant, "not json").value().has_value());
}

// The key URL is read on demand (issue #18): wherever it sits, escaped or not, behind an
// escaped Entity, and only as a string inside a Metadata object.
TEST_F(ConnectWiseFinanceTest, TheKeyUrlIsFoundWhereverTheCallbackPutsIt) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.base_url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0";
  const std::string url = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/callbackentries/key/42";
  const std::string entity = R"("Entity":"{\"id\":7,\"summary\":\"a \\\"quoted\\\" word\",\"_info\":{}}")";
  const std::vector<std::string> found{
      R"({"Metadata":{"key_url":")" + url + R"("},"Type":"ticket",)" + entity + "}",
      R"({"Type":"ticket",)" + entity + R"(,"Metadata":{"other":[1,{"key_url":"x"}],"key_url":")" + url + R"("}})",
      // JSON may escape the slashes; the URL is the unescaped text.
      R"({"Type":"ticket","Metadata":{"key_url":"https:\/\/api-na.myconnectwise.net\/v4_6_release\/apis\/3.0\/system\/callbackentries\/key\/42"}})"};
  for (const std::string& body : found) {
    auto named = connector().webhook_key_url(tenant, body);
    ASSERT_TRUE(named.ok()) << body;
    ASSERT_TRUE(named->has_value()) << body;
    EXPECT_EQ(**named, url);
  }
  const std::vector<std::string> none{
      R"({"Type":"ticket","key_url":")" + url + R"("})",  // not under Metadata
      R"({"Metadata":")" + url + R"("})", R"({"Metadata":{"key_url":42}})", R"({"Metadata":{"key_url":""}})",
      R"([{"Metadata":{"key_url":")" + url + R"("}}])", ""};
  for (const std::string& body : none) {
    auto named = connector().webhook_key_url(tenant, body);
    ASSERT_TRUE(named.ok()) << body;
    EXPECT_FALSE(named->has_value()) << body;
  }
}

TEST_F(ConnectWiseFinanceTest, AServedKeyVerifiesAfterTheConfiguredOnes) {
  Tenant tenant;
  tenant.id = "acme";
  const std::string body = R"({"Type":"ticket","ID":1})";
  const http::Headers headers{{"x-content-signature", testing::cw_signature("served-key", body)}};
  EXPECT_FALSE(connector().verify_webhook(tenant, {body, headers}).ok());
  const std::vector<std::string> keys{"other", "served-key"};
  EXPECT_TRUE(connector().verify_webhook(tenant, {body, headers, "", "", &keys}).ok());
}

TEST_F(ConnectWiseFinanceTest, TheFetchedKeyComesFromTheTenantsHostWithItsCredentials) {
  Tenant tenant;
  tenant.id = "acme";
  tenant.base_url = "https://cw.example/v4_6_release/apis/3.0";
  tenant.credentials = {{"company_id", "acme"}, {"public_key", "p"}, {"private_key", "k"}, {"client_id", "c"}};
  testing::FakePsaHttp psa;
  psa.reply(200, R"({"id":1,"signing_key":"abc123"})");
  auto key = connector().fetch_webhook_key(tenant, psa, tenant.base_url + "/system/callbackkeys/1");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(*key, "abc123");
  EXPECT_EQ(http::find_header(psa.requests.at(0).headers, "clientId"), "c");
  EXPECT_FALSE(connector().fetch_webhook_key(tenant, psa, "https://evil.example/key").ok());
  EXPECT_EQ(psa.requests.size(), 1u) << "never called off the tenant's host";
  psa.reply(404, "{}");
  EXPECT_EQ(connector().fetch_webhook_key(tenant, psa, tenant.base_url + "/k").error().code, "key_unavailable");
}

}  // namespace
}  // namespace switchyard::connectors::connectwise
