// A tenant with sync policies, end to end: signed ConnectWise callbacks through ingest and
// normalize, and what the canonical topic then holds. A customer company without an agreement
// stays out; its first agreement brings it out with the agreement, a scope_change and a
// company_summary; an edit of an unsynced field produces nothing; each hold-back is counted.
#include <gtest/gtest.h>

#include <map>

#include "common/canonical.h"
#include "common/topics.h"
#include "support/connectwise_samples.h"
#include "support/pipeline/pipeline_stack.h"
#include "support/topic_reader.h"

namespace switchyard::testing {
namespace {

std::string company_json(const std::string& identifier, const std::string& updated = "2026-11-25T08:15:00Z") {
  return R"({"id":250,"identifier":")" + identifier + R"(","name":"Acme Corp","status":{"id":1,"name":"Active"},)"
         R"("types":[{"id":1,"name":"Client"}],"deletedFlag":false,"addressLine1":"1 Main St","city":"Springfield",)"
         R"("phoneNumber":"555-0100","_info":{"lastUpdated":")" + updated + R"("}})";
}

class PipelineSyncPoliciesTest : public ::testing::Test {
 protected:
  PipelineSyncPoliciesTest()
      : stack_(StackOptions{.dispatch = false, .connectwise_sync_policies = R"(["active_customer_agreements"])"}) {}

  void post(const std::string& type, const std::string& record) {
    auto r = stack_.post_connectwise_callback(connectwise_callback(type, record));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 202) << r->body;
  }

  // Every canonical event so far, once normalize has finished the raw topic.
  std::vector<canonical::Event> canonical_events() {
    EXPECT_TRUE(wait_for_group(stack_.kafka().bootstrap(), "switchyard-normalize", std::string(topics::kRaw)));
    std::vector<canonical::Event> out;
    for (const auto& m : read_topic_to_end(stack_.kafka().bootstrap(), std::string(topics::kCanonical))) {
      auto e = canonical::event_from_json(m.value);
      EXPECT_TRUE(e.ok()) << m.value;
      if (e) out.push_back(std::move(*e));
    }
    return out;
  }

  static std::map<std::string, int> count_by_type(const std::vector<canonical::Event>& events) {
    std::map<std::string, int> out;
    for (const auto& e : events) ++out[std::string(canonical::type_name(e.record))];
    return out;
  }

  double suppressed(const std::string& reason) {
    return metric_value(stack_.normalize().metrics().serialize(),
                        R"(switchyard_normalize_suppressed_total{reason=")" + reason + R"(",tenant="acme"})");
  }

  PipelineStack stack_;
};

TEST_F(PipelineSyncPoliciesTest, TheFirstAgreementBringsTheCompanyOutAndUnsyncedEditsStayIn) {
  post("company", company_json("AcmeCorp"));
  EXPECT_TRUE(canonical_events().empty()) << "a customer without an agreement is outside the agreements policy";
  EXPECT_EQ(suppressed("out_of_scope"), 1);

  post("agreement", kConnectWiseAgreement31);
  const auto events = canonical_events();
  EXPECT_EQ(count_by_type(events),
            (std::map<std::string, int>{{"agreement", 1}, {"company", 1}, {"company_summary", 1}, {"scope_change", 1}}));
  for (const auto& e : events) {
    if (const auto* s = std::get_if<canonical::CompanySummary>(&e.record)) {
      ASSERT_EQ(s->mrr.size(), 1u);
      EXPECT_EQ(s->mrr[0].monthly, 900);
      EXPECT_EQ(s->mrr[0].currency, std::optional<std::string>("USD"));
    }
    if (std::holds_alternative<canonical::Company>(e.record)) {
      EXPECT_EQ(e.trigger, std::optional<std::string>("first_agreement"));
    }
  }

  post("company", company_json("ACME-RENAMED-CODE", "2026-11-26T10:00:00Z"));  // a later edit, of nothing synced
  EXPECT_EQ(canonical_events().size(), events.size());
  EXPECT_EQ(suppressed("unchanged"), 1);
}

TEST_F(PipelineSyncPoliciesTest, TheDailyRecomputeTakesOutACompanyWhoseLastAgreementEnded) {
  std::string ending = kConnectWiseAgreement31;
  ending.replace(ending.find(R"("noEndingDateFlag":true)"), 23, R"("endDate":"2026-12-15T00:00:00Z")");
  post("company", company_json("AcmeCorp"));
  post("agreement", ending);
  const size_t before = canonical_events().size();
  ASSERT_EQ(before, 4u);  // the agreement, the company, its scope_change and its summary

  auto& recompute = stack_.normalize().recompute();
  const auto first = recompute.run_day("2026-12-16");
  EXPECT_FALSE(first.failed);
  EXPECT_EQ(first.tenants, 1u);
  const auto events = canonical_events();
  ASSERT_GT(events.size(), before);
  bool left = false;
  for (size_t i = before; i < events.size(); ++i) {
    EXPECT_EQ(events[i].trigger, std::optional<std::string>("recompute"));
    if (const auto* c = std::get_if<canonical::ScopeChange>(&events[i].record)) {
      left = !c->in_scope && c->reason == "no_agreement" && c->policy == "active_customer_agreements";
    }
  }
  EXPECT_TRUE(left) << "the company left the agreements policy when its only agreement ended";
  EXPECT_EQ(recompute.run_day("2026-12-16").tenants, 0u) << "one recompute a day per tenant";
}

}  // namespace
}  // namespace switchyard::testing
