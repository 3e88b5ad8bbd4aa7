// Sync policies (docs/sync-policies.md): which companies and agreements a tenant's vendor wants,
// what of them is synced, and which changes are worth an event. The partner guides' rules
// (Channel Program's Active Customers and Active Customer Agreements, audIT's MRR) over canonical
// records only: no PSA is named here, so every connector gets them by mapping its fields.
//
// These are the pure rules; normalize keeps the state they read (fingerprints, each agreement's
// flags, contact counts) per tenant in Redis.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/canonical.h"

namespace switchyard::policy {

// A tenant's "sync_policies": none set is "all" (every record, today's behaviour).
struct SyncPolicies {
  bool active_customers = false;
  bool active_customer_agreements = false;
  bool require_contact = false;  // audIT: a company needs at least one contact
  bool suppress_echoes = false;  // drop changes that Switchyard's own writes caused (they are marked either way)
  bool all() const { return !active_customers && !active_customer_agreements; }
  bool operator==(const SyncPolicies&) const = default;
};

// The policies' names, as the tenants file and scope_change records spell them.
inline constexpr std::string_view kActiveCustomers = "active_customers";
inline constexpr std::string_view kActiveCustomerAgreements = "active_customer_agreements";

// Channel Program: an agreement without a vendor of its own is synced as this vendor.
inline constexpr std::string_view kDefaultVendor = "MSP Managed Services";

// Active Customers' condition: the company's classification is "customer" and it is active.
bool is_active_customer(const canonical::Company& company);

// An agreement in force on `day` (YYYY-MM-DD): not cancelled, started (or no start date), and not
// ended before `day` (or no end date).
bool in_force(const canonical::Agreement& agreement, std::string_view day);

// audIT's MRR counts an agreement when it is in force and recurring, with a monthly amount.
bool counts_for_mrr(const canonical::Agreement& agreement, std::string_view day);

// The vendor the agreements policy syncs: the agreement's own, else kDefaultVendor.
std::string policy_vendor(const canonical::Agreement& agreement);

// Fingerprints of what a policy syncs, so an edit of anything else is no trigger. Active
// Customers syncs the company's name, street address, e-mail addresses, phone numbers and
// websites; the agreements policy syncs, per agreement, the vendor, the name and the cost.
std::string company_fingerprint(const canonical::Company& company);
std::string agreement_fingerprint(const canonical::Agreement& agreement);

// Monthly recurring revenue of one company, per currency (in the currency the PSA states; ""
// when it states none): the monthly amounts of the agreements that count_for_mrr on `day`.
struct Mrr {
  std::string currency;
  double monthly = 0;
  int agreements = 0;
  bool operator==(const Mrr&) const = default;
};
std::vector<Mrr> company_mrr(std::span<const canonical::Agreement> agreements, std::string_view day);

// What normalize knows of a company beyond its record, to decide its scope.
struct CompanyFacts {
  int agreements_in_force = 0;
  int contacts = 0;
};

// Whether a company is in `policy`'s scope ("active_customers" or "active_customer_agreements"),
// and if not, why: "not_customer", "inactive", "no_agreement", "no_contact". Empty when in scope.
std::string out_of_scope_reason(std::string_view policy, const canonical::Company& company,
                                const CompanyFacts& facts, const SyncPolicies& settings);

// What was last emitted about a company under the tenant's policies (normalize keeps it).
struct CompanyMemory {
  std::string fingerprint;       // company_fingerprint of the last emitted record
  bool active = false;           // the record's active flag then
  std::vector<std::string> in;   // the policies it was in scope of
  bool operator==(const CompanyMemory&) const = default;
};

// A company entering or leaving a policy's scope: the canonical scope_change record's fields.
struct ScopeChange {
  std::string policy;
  bool in_scope = false;
  std::string reason;  // why it left ("inactive", ...) or entered ("entered")
  bool operator==(const ScopeChange&) const = default;
};

// The decision for one company change under the tenant's policies.
struct CompanyDecision {
  bool emit = false;               // publish the company record
  std::string suppressed;          // when not emitted: "out_of_scope" or "unchanged"
  std::string trigger;             // when emitted: "new", "changed", "reactivated", "entered"
  std::vector<ScopeChange> scope;  // scope_change records to publish
  CompanyMemory remember;          // the memory to keep from now on
};
CompanyDecision decide_company(const std::optional<CompanyMemory>& before, const canonical::Company& company,
                               const CompanyFacts& facts, const SyncPolicies& settings);

}  // namespace switchyard::policy
