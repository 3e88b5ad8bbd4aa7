// The sync policies as normalize applies them (normalize/policy_engine.h), over a real Redis and
// on records mapped by the ConnectWise and Autotask connectors from their API shapes: each
// condition and trigger, Inactive → Active, an unsynced edit producing nothing, a first
// agreement making its company appear, scope changes, company summaries with audIT's MRR, and a
// redelivered change never held back by its own state.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/label_tables.h"
#include "common/redis_client.h"
#include "connectors/registry.h"
#include "normalize/policy_engine.h"
#include "support/connectwise_samples.h"
#include "support/redis_server.h"

namespace switchyard::normalize {
namespace {

using testing::cw_envelope;

std::string cw_company_json(const std::string& status = "Active", const std::string& phone = "555-0100",
                            const std::string& identifier = "AcmeCorp") {
  return R"({"id":250,"identifier":")" + identifier + R"(","name":"Acme Corp","status":{"id":1,"name":")" + status +
         R"("},"types":[{"id":1,"name":"Client"}],"deletedFlag":false,"addressLine1":"1 Main St",)"
         R"("city":"Springfield","state":"IL","zip":"62701","phoneNumber":")" + phone +
         R"(","website":"https://acme.example","_info":{"lastUpdated":"2026-11-25T08:15:00Z"}})";
}

std::string cw_agreement_json(int id, const std::string& cycle = "Quarterly", const std::string& end = "2026-12-31",
                              double amount = 1500) {
  return R"({"id":)" + std::to_string(id) + R"(,"name":"Managed Services - Gold","type":{"id":4,"name":"Managed Services"},)"
         R"("company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},"agreementStatus":"Active",)"
         R"("startDate":"2026-01-01T00:00:00Z","endDate":")" + end + R"(T00:00:00Z","noEndingDateFlag":false,)"
         R"("billAmount":)" + std::to_string(amount) + R"(,"billingCycle":{"id":3,"name":")" + cycle + R"("},)"
         R"("cancelledFlag":false,"oneTimeFlag":false,"currency":{"id":1,"currencyCode":"USD"},)"
         R"("_info":{"lastUpdated":"2026-11-25T09:00:00Z"}})";
}

std::string cw_contact_json() {
  return R"({"id":77,"firstName":"Jane","lastName":"Roe","company":{"id":250,"identifier":"AcmeCorp","name":"Acme Corp"},)"
         R"("inactiveFlag":false,"communicationItems":[],"_info":{"lastUpdated":"2026-11-25T07:00:00Z"}})";
}

class PolicyEngineTest : public ::testing::Test {
 protected:
  PolicyEngineTest() : redis_(server_.settings()), state_(redis_) {}

  canonical::Event cw(const std::string& entity, const std::string& id, const std::string& body,
                      const std::string& action = "updated") {
    auto e = cw_envelope("poll", action, entity, id, body);
    e.idempotency_key = entity + "-" + id + "-" + std::to_string(++serial_);
    return event_of(e);
  }

  canonical::Event at(const std::string& entity, const std::string& id, const std::string& body) {
    Envelope e;
    e.tenant = "globex";
    e.psa = "autotask";
    e.entity = entity;
    e.entity_id = id;
    e.action = "updated";
    e.source = "poll";
    e.received_at = "2026-11-25T10:00:02.500Z";
    e.idempotency_key = entity + "-" + id + "-" + std::to_string(++serial_);
    e.body = body;
    return event_of(e);
  }

  canonical::Event event_of(const Envelope& e) {
    // Autotask picklists as a stock instance labels them (ingest stores them for normalize).
    LabelTables labels;
    labels.tables["company.companyType"] = {{"1", "Customer"}};
    labels.tables["agreement.contractType"] = {{"7", "Recurring Service"}};
    labels.tables["agreement.contractPeriodType"] = {{"2", "Quarterly"}};
    auto record = connectors::builtin_registry().find(e.psa)->to_canonical(e, parser_, {}, &labels);
    EXPECT_TRUE(record.ok()) << record.error().message;
    return canonical::Event{e.idempotency_key, e.action == "deleted" ? canonical::Action::Deleted : canonical::Action::Upserted,
                            e.received_at, "poll", std::move(*record), std::nullopt, std::nullopt};
  }

  // One batch: decides every event in order, then (unless told not to) stores the state.
  std::vector<PolicyDecision> run(std::vector<canonical::Event>& events, const policy::SyncPolicies& settings,
                                  bool commit = true, const std::string& today = "2026-11-30") {
    PolicyBatch batch(state_, today);
    std::vector<PolicyInput> inputs;
    for (auto& e : events) inputs.push_back({&e, &settings, false});
    EXPECT_TRUE(batch.load(inputs).ok());
    std::vector<PolicyDecision> out;
    for (const auto& input : inputs) out.push_back(batch.apply(input));
    if (commit) {
      EXPECT_TRUE(batch.commit().ok());
    }
    return out;
  }

  PolicyDecision one(canonical::Event e, const policy::SyncPolicies& settings, bool commit = true) {
    std::vector<canonical::Event> events{std::move(e)};
    auto d = run(events, settings, commit);
    last_ = events.front();
    return d.front();
  }

  static std::vector<std::string> types(const PolicyDecision& d) {
    std::vector<std::string> out;
    for (const auto& r : d.added) out.emplace_back(canonical::type_name(r.event.record));
    return out;
  }
  template <typename T>
  static const T* added(const PolicyDecision& d, size_t n = 0) {
    for (const auto& r : d.added) {
      if (const auto* t = std::get_if<T>(&r.event.record); t && n-- == 0) return t;
    }
    return nullptr;
  }

  testing::RedisServer server_{testing::RedisServerOptions{}};
  RedisClient redis_;
  PolicyState state_;
  simdjson::dom::parser parser_;
  canonical::Event last_;
  int serial_ = 0;
  const policy::SyncPolicies customers_{.active_customers = true};
  const policy::SyncPolicies agreements_{.active_customer_agreements = true};
};

TEST_F(PolicyEngineTest, ANewActiveCustomerIsPublishedWithItsScopeAndSummaryAndAnUnchangedCopyIsNot) {
  auto first = one(cw("company", "250", cw_company_json()), customers_);
  EXPECT_TRUE(first.publish);
  EXPECT_EQ(last_.trigger, std::optional<std::string>("new"));
  ASSERT_NE(added<canonical::ScopeChange>(first), nullptr);
  EXPECT_EQ(added<canonical::ScopeChange>(first)->policy, "active_customers");
  EXPECT_TRUE(added<canonical::ScopeChange>(first)->in_scope);
  EXPECT_EQ(added<canonical::ScopeChange>(first)->reason, "entered");
  ASSERT_NE(added<canonical::CompanySummary>(first), nullptr);
  EXPECT_EQ(added<canonical::CompanySummary>(first)->company.id, "250");

  auto again = one(cw("company", "250", cw_company_json()), customers_);
  EXPECT_FALSE(again.publish);
  EXPECT_EQ(again.suppressed, "unchanged");
  EXPECT_TRUE(again.added.empty()) << "the summary did not change either";

  // The identifier is not a synced detail; the phone number is.
  auto unsynced = one(cw("company", "250", cw_company_json("Active", "555-0100", "ACME-2")), customers_);
  EXPECT_FALSE(unsynced.publish);
  EXPECT_EQ(unsynced.suppressed, "unchanged");
  auto synced = one(cw("company", "250", cw_company_json("Active", "555-0111")), customers_);
  EXPECT_TRUE(synced.publish);
  EXPECT_EQ(last_.trigger, std::optional<std::string>("changed"));
}

TEST_F(PolicyEngineTest, InactiveLeavesTheScopeAndActiveAgainIsATrigger) {
  ASSERT_TRUE(one(cw("company", "250", cw_company_json()), customers_).publish);
  auto inactive = one(cw("company", "250", cw_company_json("Inactive")), customers_);
  EXPECT_FALSE(inactive.publish);
  EXPECT_EQ(inactive.suppressed, "out_of_scope");
  ASSERT_NE(added<canonical::ScopeChange>(inactive), nullptr);
  EXPECT_FALSE(added<canonical::ScopeChange>(inactive)->in_scope);
  EXPECT_EQ(added<canonical::ScopeChange>(inactive)->reason, "inactive");

  auto back = one(cw("company", "250", cw_company_json()), customers_);
  EXPECT_TRUE(back.publish);
  EXPECT_EQ(last_.trigger, std::optional<std::string>("reactivated"));
  ASSERT_NE(added<canonical::ScopeChange>(back), nullptr);
  EXPECT_TRUE(added<canonical::ScopeChange>(back)->in_scope);
}

TEST_F(PolicyEngineTest, AFirstAgreementBringsItsCompanyOutWithTheAgreementAndItsMrr) {
  auto alone = one(cw("company", "250", cw_company_json()), agreements_);
  EXPECT_FALSE(alone.publish);
  EXPECT_EQ(alone.suppressed, "out_of_scope");
  EXPECT_TRUE(alone.added.empty());

  auto first = one(cw("agreement", "31", cw_agreement_json(31)), agreements_);
  EXPECT_TRUE(first.publish);
  EXPECT_EQ(last_.trigger, std::optional<std::string>("new"));
  EXPECT_FALSE(std::get<canonical::Agreement>(last_.record).vendor.has_value()) << "the record keeps what the PSA says";
  ASSERT_EQ(types(first), (std::vector<std::string>{"company", "scope_change", "company_summary"}));
  EXPECT_EQ(first.added[0].event.trigger, std::optional<std::string>("first_agreement"));
  EXPECT_EQ(first.added[0].key, "acme/company/250");
  const auto* summary = added<canonical::CompanySummary>(first);
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->active_recurring_agreements, 1);
  ASSERT_EQ(summary->mrr.size(), 1u);
  EXPECT_EQ(summary->mrr[0].currency, std::optional<std::string>("USD"));
  EXPECT_NEAR(summary->mrr[0].monthly, 500, 1e-9);  // 1,500 a quarter
  ASSERT_EQ(summary->agreements.size(), 1u);
  EXPECT_EQ(summary->agreements[0].vendor, "MSP Managed Services");

  // A second agreement: no second company, the summary adds it up (a year of 2,400 is 200 a month).
  auto second = one(cw("agreement", "32", cw_agreement_json(32, "Yearly", "2026-12-31", 2400)), agreements_);
  EXPECT_TRUE(second.publish);
  ASSERT_EQ(types(second), (std::vector<std::string>{"company_summary"}));
  EXPECT_NEAR(added<canonical::CompanySummary>(second)->mrr[0].monthly, 700, 1e-9);
  EXPECT_EQ(added<canonical::CompanySummary>(second)->mrr[0].agreements, 2);

  // The same agreement again changes nothing synced.
  auto same = one(cw("agreement", "32", cw_agreement_json(32, "Yearly", "2026-12-31", 2400)), agreements_);
  EXPECT_FALSE(same.publish);
  EXPECT_EQ(same.suppressed, "unchanged");
}

TEST_F(PolicyEngineTest, ACompanyAndItsAgreementInOneBatchSeeEachOther) {
  std::vector<canonical::Event> events{cw("company", "250", cw_company_json()), cw("agreement", "31", cw_agreement_json(31))};
  auto d = run(events, agreements_);
  EXPECT_FALSE(d[0].publish) << "no agreement yet when the company is decided";
  EXPECT_TRUE(d[1].publish);
  EXPECT_EQ(types(d[1]), (std::vector<std::string>{"company", "scope_change", "company_summary"}));
}

TEST_F(PolicyEngineTest, AnAgreementThatCameBeforeItsCompanyComesOutWithIt) {
  std::vector<canonical::Event> events{cw("agreement", "31", cw_agreement_json(31)), cw("company", "250", cw_company_json())};
  auto d = run(events, agreements_);
  EXPECT_FALSE(d[0].publish) << "its company is not known yet";
  EXPECT_TRUE(d[1].publish);
  ASSERT_EQ(types(d[1]), (std::vector<std::string>{"scope_change", "agreement", "company_summary"}));
  EXPECT_EQ(d[1].added[1].event.trigger, std::optional<std::string>("entered"));
  EXPECT_EQ(d[1].added[1].key, "acme/agreement/31");
}

TEST_F(PolicyEngineTest, TheLastAgreementEndingTakesTheCompanyOutOnTheDailyRecompute) {
  std::vector<canonical::Event> events{cw("company", "250", cw_company_json()),
                                       cw("agreement", "31", cw_agreement_json(31, "Monthly", "2026-12-15"))};
  run(events, agreements_);
  PolicyBatch later(state_, "2026-12-16");
  ASSERT_TRUE(later.load_companies("acme", {"250"}).ok());
  auto d = later.recompute("acme", "250", agreements_, "2026-12-16T00:05:00Z");
  ASSERT_NE(added<canonical::ScopeChange>(d), nullptr);
  EXPECT_FALSE(added<canonical::ScopeChange>(d)->in_scope);
  EXPECT_EQ(added<canonical::ScopeChange>(d)->reason, "no_agreement");
  ASSERT_TRUE(later.commit().ok());

  PolicyBatch again(state_, "2026-12-16");
  ASSERT_TRUE(again.load_companies("acme", {"250"}).ok());
  EXPECT_TRUE(again.recompute("acme", "250", agreements_, "2026-12-16T01:05:00Z").added.empty())
      << "a second recompute the same day finds nothing new";
}

TEST_F(PolicyEngineTest, WithRequireContactTheFirstContactBringsTheCompanyIn) {
  const policy::SyncPolicies settings{.active_customers = true, .require_contact = true};
  auto alone = one(cw("company", "250", cw_company_json()), settings);
  EXPECT_FALSE(alone.publish);
  EXPECT_EQ(alone.suppressed, "out_of_scope");
  auto contact = one(cw("contact", "77", cw_contact_json()), settings);
  EXPECT_TRUE(contact.publish) << "contacts are published as they come";
  ASSERT_EQ(types(contact), (std::vector<std::string>{"company", "scope_change", "company_summary"}));
  EXPECT_EQ(contact.added[0].event.trigger, std::optional<std::string>("entered"));
  EXPECT_EQ(added<canonical::CompanySummary>(contact)->contact_count, 1);
}

// v1.2's site is no policy's concern: published as it comes, unchanged, whatever its company's
// scope, adding nothing and counting for nothing.
TEST_F(PolicyEngineTest, ASitePassesThroughUnchangedWhateverItsCompanysScope) {
  const policy::SyncPolicies settings{.active_customers = true, .require_contact = true};
  EXPECT_FALSE(one(cw("company", "250", cw_company_json()), settings).publish);  // out of scope: no contact
  auto site = canonical::with_base<canonical::Site>(
      canonical::RecordBase{"acme", {"halopsa", "Site", "18"}, "2026-11-25T08:10:00Z", {}});
  site.name = "Acme - Head Office";
  site.company = canonical::Ref{"250", "Acme Corp"};
  const canonical::Record record{site};
  auto decision = one(canonical::Event{"site-18-1", canonical::Action::Upserted, "2026-11-25T10:00:02.500Z", "poll",
                                       record, std::nullopt, std::nullopt},
                      settings);
  EXPECT_TRUE(decision.publish);
  EXPECT_TRUE(decision.suppressed.empty()) << decision.suppressed;
  EXPECT_TRUE(decision.added.empty()) << "a site brings no company, scope change or summary";
  EXPECT_FALSE(last_.trigger.has_value());
  EXPECT_EQ(last_.record, record);
}

TEST_F(PolicyEngineTest, ARedeliveredChangeIsNotHeldBackByItsOwnUncommittedState) {
  auto first = one(cw("company", "250", cw_company_json()), customers_, /*commit=*/false);
  EXPECT_TRUE(first.publish);
  auto redelivered = one(cw("company", "250", cw_company_json()), customers_);
  EXPECT_TRUE(redelivered.publish) << "its output was never acknowledged, so nothing was remembered";
  EXPECT_EQ(last_.trigger, std::optional<std::string>("new"));
}

TEST_F(PolicyEngineTest, AnAutotaskCustomerWithARecurringServiceContract) {
  const std::string company =
      R"({"id":29683580,"companyName":"Globex","companyType":1,"isActive":true,"phone":"555-0199",)"
      R"("address1":"2 Side St","city":"Shelbyville","lastActivityDate":"2026-11-25T08:15:00.000Z","userDefinedFields":[]})";
  const std::string contract =
      R"({"id":200,"contractName":"Managed","contractType":7,"companyID":29683580,"status":1,)"
      R"("contractPeriodType":2,"startDate":"2026-01-01T00:00:00.000Z","endDate":"2026-12-31T00:00:00.000Z",)"
      R"("lastModifiedDateTime":"2026-11-25T08:00:00.000Z","contractServices":[)"
      R"({"id":500,"contractID":200,"unitPrice":50.0,"units":10}]})";
  std::vector<canonical::Event> events{at("company", "29683580", company), at("agreement", "200", contract)};
  auto d = run(events, agreements_);
  ASSERT_TRUE(d[1].publish);
  const auto* summary = added<canonical::CompanySummary>(d[1]);
  ASSERT_NE(summary, nullptr);
  ASSERT_EQ(summary->mrr.size(), 1u);
  EXPECT_NEAR(summary->mrr[0].monthly, 500.0 / 3, 1e-9);  // 500 a quarter
  EXPECT_FALSE(summary->mrr[0].currency.has_value()) << "Autotask states no currency on a contract";
}

TEST_F(PolicyEngineTest, ADeletedCompanyInScopeLeavesIt) {
  ASSERT_TRUE(one(cw("company", "250", cw_company_json()), customers_).publish);
  auto deleted = one(cw("company", "250", cw_company_json(), "deleted"), customers_);
  EXPECT_TRUE(deleted.publish);
  ASSERT_NE(added<canonical::ScopeChange>(deleted), nullptr);
  EXPECT_EQ(added<canonical::ScopeChange>(deleted)->reason, "deleted");
}

}  // namespace
}  // namespace switchyard::normalize
