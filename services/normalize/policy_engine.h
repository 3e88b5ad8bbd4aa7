// The sync policies applied to one batch of canonical events (docs/sync-policies.md). For each
// event, in order: whether it is published, why not, and the records the policies add
// (scope_change, company_summary, a company on its first agreement). The state the decisions
// read comes from Redis once per batch and is kept up to date across the batch (a company and
// its agreement in one batch see each other); what changed is written back by commit(), only
// after Kafka acknowledged the batch.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/canonical.h"
#include "common/sync_policy.h"
#include "normalize/policy_state.h"

namespace switchyard::normalize {

// One canonical event of a tenant whose sync_policies are not "all".
struct PolicyInput {
  canonical::Event* event = nullptr;  // the trigger is set on it when it is published
  const policy::SyncPolicies* settings = nullptr;
  bool resync = false;  // from a resync: published even when unchanged
};

// A record the policies add, with its Kafka key.
struct PolicyRecord {
  std::string key;  // tenant/company/<id>: in order with the company's own events
  canonical::Event event;
};

struct PolicyDecision {
  bool publish = true;
  std::string suppressed;  // "out_of_scope" | "unchanged" when not published
  std::vector<PolicyRecord> added;
};

class PolicyBatch {
 public:
  // `today` (YYYY-MM-DD, UTC) decides which agreements are in force.
  PolicyBatch(PolicyState& state, std::string today) : state_(state), today_(std::move(today)) {}

  // Reads the state every input needs: two round trips.
  Status load(const std::vector<PolicyInput>& inputs);
  PolicyDecision apply(const PolicyInput& input);
  // Re-decides a company whose record did not change (the daily recompute): its agreements may
  // have started or ended. Needs load_companies() first.
  PolicyDecision recompute(const std::string& tenant, const std::string& company, const policy::SyncPolicies& settings,
                           const std::string& observed_at);
  Status load_companies(const std::string& tenant, const std::vector<std::string>& companies);
  Status commit();  // runs the queued writes

 private:
  CompanyState& company(const std::string& tenant, const std::string& id);
  std::string owner(const std::string& tenant, const std::string& field) const;
  void apply_company(const PolicyInput& input, canonical::Company& record, PolicyDecision& out);
  void apply_agreement(const PolicyInput& input, const canonical::Agreement& record, PolicyDecision& out);
  void apply_contact(const PolicyInput& input, const canonical::Contact& record, PolicyDecision& out);
  // The company's scope and summary again after its agreements or contacts changed.
  void reconsider(const std::string& tenant, const std::string& id, const policy::SyncPolicies& settings,
                  const canonical::Event& cause, std::string_view trigger, PolicyDecision& out);
  void scope_records(const std::string& tenant, const CompanyState& state, const std::vector<policy::ScopeChange>& changes,
                     const canonical::Event& cause, PolicyDecision& out);
  void entered_agreements(const std::string& tenant, const CompanyState& state,
                          const std::vector<policy::ScopeChange>& changes, const canonical::Event& cause,
                          const std::string& except, PolicyDecision& out);
  void summary_record(const std::string& tenant, const std::string& id, CompanyState& state,
                      const canonical::Event& cause, PolicyDecision& out, bool force);
  policy::CompanyFacts facts(const CompanyState& state) const;

  PolicyState& state_;
  std::string today_;
  std::map<std::string, std::map<std::string, CompanyState>> companies_;  // tenant -> id -> state
  std::map<std::string, std::map<std::string, std::string>> owners_;     // tenant -> field -> company
  PolicyWrites writes_;
};

}  // namespace switchyard::normalize
