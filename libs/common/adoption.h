// Adoption per tenant (docs/adoption.md): when it was activated (its first successful
// connection test), when it first got value (its first ticket created, its first agreement
// synced), how much it uses each workflow, and its errors by reason. Derived from the activity
// records every service already writes (common/activity.h): ActivityLog appends the commands
// below to the Redis pipeline that writes the records, so no call site knows about adoption.
//
// One Redis hash per tenant, sy:adoption:{tenant}, with fields
//   first_activity_at, activated_at, first_value:<milestone>   RFC 3339 UTC, the earliest seen
//   usage:<kind>:<workflow>, errors:<reason>                    counters
// It has no expiry: a tenant's onboarding history is what it is about. It lives until the tenant
// is offboarded, which must delete it (docs/adoption.md#offboarding).
//
// Every label-like part is bounded: workflows are command types or canonical entities of a
// fixed shape, reasons come from the catalogue (others count as "other"); anything else is
// dropped, so neither Redis nor Prometheus can grow without bound.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/activity.h"
#include "common/redis_client.h"
#include "common/result.h"

namespace switchyard {

namespace adoption {
// Milestones of first value.
inline constexpr std::string_view kTicketCreated = "ticket_created";      // command ticket.upsert created
inline constexpr std::string_view kAgreementSynced = "agreement_synced";  // inbound agreement emitted
inline constexpr std::string_view kOtherReason = "other";  // a problem without a catalogued reason
// Bounds on what is read back (a hash is never expected to come near them).
inline constexpr size_t kMaxWorkflows = 64;
inline constexpr size_t kMaxReasons = 64;

// True for a workflow name of the given activity kind: a command type ("ticket.upsert",
// "alert.raised": two lower-case words joined by a dot) or a canonical entity ("agreement").
bool is_workflow(std::string_view kind, std::string_view workflow);
}  // namespace adoption

std::string adoption_key(std::string_view tenant);

// The Redis commands that fold `records` into their tenants' adoption hashes: one EVAL per
// tenant (milestones keep the earliest time, so records arriving out of order or again change
// nothing; counters add). Empty when no record counts.
std::vector<std::vector<std::string>> adoption_commands(const std::vector<ActivityRecord>& records);

struct TenantAdoption {
  std::string first_activity_at{};                  // RFC 3339 UTC, or empty: none yet
  std::string activated_at{};                       // the first successful connection test
  std::map<std::string, std::string> first_value{};  // milestone → when
  // kind ("command", "inbound") → workflow → successful uses
  std::map<std::string, std::map<std::string, int64_t>> usage{};
  std::map<std::string, int64_t> errors{};  // reason → problem records
  // Seconds from activation to the milestone (0 when value came before any connection test);
  // negative when either time is missing.
  double time_to_first_value_seconds(std::string_view milestone) const;
};

// Error "redis_unavailable". Fields that do not pass the bounds are skipped.
Result<TenantAdoption> read_adoption(RedisClient& redis, std::string_view tenant);
// Many tenants in one pipelined round trip, in the order given.
Result<std::vector<TenantAdoption>> read_adoptions(RedisClient& redis, const std::vector<std::string>& tenants);

// {"tenant","first_activity_at","activated_at","milestones":{"<m>":{"at","time_to_first_value_seconds"}|null},
//  "usage":{"<kind>":{"<workflow>":n}},"errors":{"<reason>":n}}; a time not reached is null.
std::string adoption_json(std::string_view tenant, const TenantAdoption& adoption);

}  // namespace switchyard
