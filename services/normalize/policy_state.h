// What the sync policies remember per tenant in Redis (docs/sync-policies.md#state): each
// company's latest record and what the policies last decided about it, its agreements, its
// contacts, and which company each agreement and contact belonged to when last seen.
//
//   sy:policy:{tenant}:company:<id>      hash: record (canonical event JSON), memory, summary
//   sy:policy:{tenant}:agreements:<id>   hash: agreement id -> canonical event JSON
//   sy:policy:{tenant}:contacts:<id>     set of contact ids
//   sy:policy:{tenant}:owners            hash: "agreement:<id>" | "contact:<id>" -> company id
//   sy:policy:{tenant}:companies         set of the company ids above (the daily recompute)
//
// Reads happen before a batch is decided; writes are queued and run only after Kafka
// acknowledged the batch's output, so a redelivered change is never judged against itself.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/canonical.h"
#include "common/redis_client.h"
#include "common/result.h"
#include "common/sync_policy.h"

namespace switchyard::normalize {

struct CompanyState {
  std::optional<canonical::Event> company;      // the latest company event seen, emitted or not
  std::optional<policy::CompanyMemory> memory;  // what the policies last decided
  std::string summary;                          // fingerprint of the last company_summary emitted
  std::map<std::string, canonical::Agreement> agreements;  // by agreement id
  std::set<std::string> contacts;
};

// Redis commands queued for after the acknowledgement.
class PolicyWrites {
 public:
  void company(const std::string& tenant, const std::string& id, const canonical::Event& event);
  void memory(const std::string& tenant, const std::string& id, const policy::CompanyMemory& memory);
  void summary(const std::string& tenant, const std::string& id, const std::string& fingerprint);
  void drop_company(const std::string& tenant, const std::string& id);
  void agreement(const std::string& tenant, const std::string& company, const std::string& id,
                 const canonical::Event& event);
  void drop_agreement(const std::string& tenant, const std::string& company, const std::string& id);
  void contact(const std::string& tenant, const std::string& company, const std::string& id);
  void drop_contact(const std::string& tenant, const std::string& company, const std::string& id);
  void owner(const std::string& tenant, const std::string& field, const std::string& company);
  void drop_owner(const std::string& tenant, const std::string& field);

  bool empty() const { return commands_.empty(); }
  const std::vector<std::vector<std::string>>& commands() const { return commands_; }
  void clear() { commands_.clear(); }

 private:
  std::vector<std::vector<std::string>> commands_;
};

class PolicyState {
 public:
  explicit PolicyState(RedisClient& redis) : redis_(redis) {}
  // The company each "agreement:<id>" / "contact:<id>" field belonged to, "" when unknown.
  Result<std::vector<std::string>> owners(const std::string& tenant, const std::vector<std::string>& fields);
  // The state of each company (empty state for a company never seen). One round trip.
  Result<std::map<std::string, CompanyState>> load(const std::string& tenant, const std::vector<std::string>& companies);
  // Every company the tenant's state knows (the daily recompute).
  Result<std::vector<std::string>> companies(const std::string& tenant);
  Status apply(const PolicyWrites& writes);

 private:
  RedisClient& redis_;
};

std::string policy_key(const std::string& tenant, std::string_view what);

}  // namespace switchyard::normalize
