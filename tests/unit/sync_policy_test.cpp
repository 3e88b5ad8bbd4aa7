// The sync policies' rules (common/sync_policy.h) on records mapped from ConnectWise- and
// Autotask-shaped payloads: Active Customers' condition and triggers, Inactive → Active, an edit
// of an unsynced field producing nothing, a first agreement bringing a company into the
// agreements policy, leaving a scope, and audIT's MRR.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/billing_period.h"
#include "common/sync_policy.h"
#include "connectors/autotask/autotask_connector.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::policy {
namespace {

constexpr std::string_view kToday = "2026-11-30";

// A ConnectWise company as GET /company/companies/{id} returns it; `extra` goes in before _info.
canonical::Company cw_company(std::string extra = {}, std::string status = "Active", std::string type = "Client") {
  const std::string json =
      R"({"id":250,"identifier":"AcmeCorp","name":"Acme Corp","status":{"id":1,"name":")" + status + R"("},)"
      R"("types":[{"id":1,"name":")" + type + R"("}],"deletedFlag":false,)"
      R"("addressLine1":"1 Main St","city":"Springfield","state":"IL","zip":"62701",)"
      R"("phoneNumber":"555-0100","website":"https://acme.example",)" +
      extra + R"("_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
  simdjson::dom::parser parser;
  static const Mappings kDefaults = connectors::connectwise::ConnectWiseConnector().spec().default_mappings;
  static const Mappings kNone;
  auto r = connectors::connectwise::map_record("acme", "company", parser.parse(json).get_object().value(),
                                               MappingLookup(kNone, kDefaults));
  EXPECT_TRUE(r.ok()) << r.error().message;
  return std::get<canonical::Company>(*r);
}

// An Autotask company as GET /V1.0/Companies/{id} returns it.
canonical::Company at_company(int company_type, bool active) {
  const std::string json = R"({"id":29683580,"companyName":"Globex","companyType":)" + std::to_string(company_type) +
                           R"(,"isActive":)" + (active ? "true" : "false") +
                           R"(,"phone":"555-0199","address1":"2 Side St","city":"Shelbyville",)"
                           R"("lastActivityDate":"2026-11-25T08:15:00.000Z","userDefinedFields":[]})";
  simdjson::dom::parser parser;
  static const Mappings kDefaults = connectors::autotask::AutotaskConnector().spec().default_mappings;
  static const Mappings kNone;
  auto r = connectors::autotask::map_record("globex", "company", parser.parse(json).get_object().value(),
                                            MappingLookup(kNone, kDefaults));
  EXPECT_TRUE(r.ok()) << r.error().message;
  return std::get<canonical::Company>(*r);
}

canonical::Agreement agreement(double amount, std::string cycle, std::string start, std::optional<std::string> end = {},
                               bool recurring = true, bool cancelled = false, std::string currency = "USD") {
  canonical::Agreement a;
  a.name = "Managed services";
  a.bill_amount = amount;
  a.billing_cycle = cycle;
  const auto period = canonical::billing_period_from_text(cycle);
  a.billing_period = std::string(canonical::billing_period_name(period));
  if (recurring) a.monthly_amount = canonical::monthly_amount(amount, period);
  a.start_date = std::move(start);
  a.end_date = std::move(end);
  a.recurring = recurring;
  a.cancelled = cancelled;
  a.currency = std::move(currency);
  return a;
}

const SyncPolicies kCustomersOnly{.active_customers = true};
const SyncPolicies kAgreements{.active_customer_agreements = true};

TEST(SyncPolicyTest, ActiveCustomersIsAnActiveCompanyOfTypeCustomerFromEitherPsa) {
  EXPECT_TRUE(is_active_customer(cw_company()));                        // ConnectWise "Client"
  EXPECT_FALSE(is_active_customer(cw_company({}, "Active", "Prospect")));
  EXPECT_FALSE(is_active_customer(cw_company({}, "Inactive")));
  EXPECT_TRUE(is_active_customer(at_company(1, true)));   // Autotask companyType 1 Customer
  EXPECT_FALSE(is_active_customer(at_company(1, false)));
  EXPECT_FALSE(is_active_customer(at_company(3, true)));  // Prospect
  EXPECT_EQ(out_of_scope_reason(kActiveCustomers, at_company(3, true), {}, kCustomersOnly), "not_customer");
  EXPECT_EQ(out_of_scope_reason(kActiveCustomers, at_company(1, false), {}, kCustomersOnly), "inactive");
}

TEST(SyncPolicyTest, ANewCustomerIsEmittedAndEntersTheScope) {
  const auto d = decide_company(std::nullopt, cw_company(), {}, kCustomersOnly);
  EXPECT_TRUE(d.emit);
  EXPECT_EQ(d.trigger, "new");
  ASSERT_EQ(d.scope.size(), 1u);
  EXPECT_EQ(d.scope[0], (ScopeChange{"active_customers", true, "new"}));
  EXPECT_EQ(d.remember.in, (std::vector<std::string>{"active_customers"}));
}

TEST(SyncPolicyTest, AnEditOfAnUnsyncedFieldProducesNothingAndOfASyncedOneATrigger) {
  const auto first = decide_company(std::nullopt, cw_company(), {}, kCustomersOnly);
  // A custom field and the market are not synced by Active Customers.
  const auto unsynced = decide_company(
      first.remember, cw_company(R"("market":{"id":3,"name":"Retail"},"customFields":[{"caption":"Tier","value":"Gold"}],)"),
      {}, kCustomersOnly);
  EXPECT_FALSE(unsynced.emit);
  EXPECT_EQ(unsynced.suppressed, "unchanged");
  EXPECT_TRUE(unsynced.scope.empty());

  auto moved = cw_company();
  moved.phone = "555-0111";
  const auto synced = decide_company(first.remember, moved, {}, kCustomersOnly);
  EXPECT_TRUE(synced.emit);
  EXPECT_EQ(synced.trigger, "changed");
  const auto emails = decide_company(first.remember, cw_company(R"("invoiceToEmailAddress":"ap@acme.example",)"), {},
                                     kCustomersOnly);
  EXPECT_TRUE(emails.emit) << "e-mail addresses are synced";
}

TEST(SyncPolicyTest, InactiveToActiveIsATriggerAndLeavingTheScopeIsAScopeChange) {
  const auto active = decide_company(std::nullopt, at_company(1, true), {}, kCustomersOnly);
  const auto gone = decide_company(active.remember, at_company(1, false), {}, kCustomersOnly);
  EXPECT_FALSE(gone.emit);
  EXPECT_EQ(gone.suppressed, "out_of_scope");
  ASSERT_EQ(gone.scope.size(), 1u);
  EXPECT_EQ(gone.scope[0], (ScopeChange{"active_customers", false, "inactive"}));
  EXPECT_TRUE(gone.remember.in.empty());

  const auto again = decide_company(gone.remember, at_company(1, true), {}, kCustomersOnly);
  EXPECT_TRUE(again.emit);
  EXPECT_EQ(again.trigger, "reactivated");
  ASSERT_EQ(again.scope.size(), 1u);
  EXPECT_TRUE(again.scope[0].in_scope);

  // Its type changing away from Customer is leaving too.
  const auto retyped = decide_company(again.remember, at_company(3, true), {}, kCustomersOnly);
  ASSERT_EQ(retyped.scope.size(), 1u);
  EXPECT_EQ(retyped.scope[0].reason, "not_customer");
}

TEST(SyncPolicyTest, AFirstAgreementMakesTheCompanyAppearAndTheLastOneEndingTakesItOut) {
  const auto without = decide_company(std::nullopt, cw_company(), {.agreements_in_force = 0, .contacts = 1}, kAgreements);
  EXPECT_FALSE(without.emit);
  EXPECT_EQ(without.suppressed, "out_of_scope");
  const auto with = decide_company(without.remember, cw_company(), {.agreements_in_force = 1, .contacts = 1}, kAgreements);
  EXPECT_TRUE(with.emit);
  EXPECT_EQ(with.trigger, "entered");
  ASSERT_EQ(with.scope.size(), 1u);
  EXPECT_EQ(with.scope[0], (ScopeChange{"active_customer_agreements", true, "entered"}));
  const auto ended = decide_company(with.remember, cw_company(), {.agreements_in_force = 0, .contacts = 1}, kAgreements);
  ASSERT_EQ(ended.scope.size(), 1u);
  EXPECT_EQ(ended.scope[0], (ScopeChange{"active_customer_agreements", false, "no_agreement"}));
}

TEST(SyncPolicyTest, RequireContactKeepsACompanyWithoutContactsOut) {
  const SyncPolicies settings{.active_customers = true, .require_contact = true};
  EXPECT_FALSE(decide_company(std::nullopt, cw_company(), {.contacts = 0}, settings).emit);
  EXPECT_EQ(out_of_scope_reason(kActiveCustomers, cw_company(), {.contacts = 0}, settings), "no_contact");
  EXPECT_TRUE(decide_company(std::nullopt, cw_company(), {.contacts = 2}, settings).emit);
}

TEST(SyncPolicyTest, AllIsTodaysBehaviourWithoutScopes) {
  const auto d = decide_company(std::nullopt, at_company(3, false), {}, SyncPolicies{});
  EXPECT_TRUE(d.emit);
  EXPECT_TRUE(d.scope.empty());
}

TEST(SyncPolicyTest, MrrCountsOnlyRecurringAgreementsInForceProratedToAMonth) {
  const auto mrr_of = [](std::vector<canonical::Agreement> list) { return company_mrr(list, kToday); };
  EXPECT_EQ(mrr_of({agreement(1000, "Monthly", "2026-01-01")}), (std::vector<Mrr>{{"USD", 1000, 1}}));
  EXPECT_EQ(mrr_of({agreement(3000, "Quarterly", "2026-01-01")}), (std::vector<Mrr>{{"USD", 1000, 1}}));
  EXPECT_EQ(mrr_of({agreement(12000, "Yearly", "2026-01-01")}), (std::vector<Mrr>{{"USD", 1000, 1}}));
  const auto weekly = mrr_of({agreement(120, "Weekly", "2026-01-01")});
  ASSERT_EQ(weekly.size(), 1u);
  EXPECT_DOUBLE_EQ(weekly[0].monthly, 120.0 * 52 / 12);
  EXPECT_TRUE(mrr_of({agreement(1000, "Monthly", "2025-01-01", "2026-10-31")}).empty()) << "ended";
  EXPECT_TRUE(mrr_of({agreement(1000, "Monthly", "2027-01-01")}).empty()) << "not yet started";
  EXPECT_TRUE(mrr_of({agreement(1000, "One Time", "2026-01-01", {}, false)}).empty()) << "not recurring";
  EXPECT_TRUE(mrr_of({agreement(1000, "Monthly", "2026-01-01", {}, true, true)}).empty()) << "cancelled";
  EXPECT_EQ(mrr_of({agreement(1000, "Monthly", "2026-01-01"), agreement(600, "Quarterly", "2026-06-01")}),
            (std::vector<Mrr>{{"USD", 1200, 2}}))
      << "two agreements on one company";
  EXPECT_EQ(mrr_of({agreement(1000, "Monthly", "2026-01-01"), agreement(900, "Monthly", "2026-01-01", {}, true, false, "EUR")}),
            (std::vector<Mrr>{{"EUR", 900, 1}, {"USD", 1000, 1}}))
      << "each in the currency the PSA states";
  EXPECT_TRUE(in_force(agreement(1, "Monthly", "2026-11-30", "2026-11-30"), kToday)) << "both ends inclusive";
}

TEST(SyncPolicyTest, TheVendorDefaultsInThePolicyOnlyAndTheFingerprintFollowsTheSyncedFields) {
  auto a = agreement(1000, "Monthly", "2026-01-01");
  EXPECT_EQ(policy_vendor(a), "MSP Managed Services");
  EXPECT_FALSE(a.vendor.has_value()) << "the canonical agreement keeps what the PSA says";
  const std::string before = agreement_fingerprint(a);
  a.billing_cycle_id = "7";
  EXPECT_EQ(agreement_fingerprint(a), before) << "not synced";
  a.vendor = canonical::Ref{"12", std::string("Contoso Backup")};
  EXPECT_EQ(policy_vendor(a), "Contoso Backup");
  EXPECT_NE(agreement_fingerprint(a), before);
}

}  // namespace
}  // namespace switchyard::policy
