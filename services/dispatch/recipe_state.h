// RecipeState: what the recipes remember in Redis (docs/recipes.md#state). Each step is one
// Lua script, so a step is applied whole or not at all, and exactly once per recipe command:
// the script stores its decision under the command's id, and a redelivered command gets the
// same decision back (and so expands into the same commands, which dedup downstream).
//
// Keys, per tenant (test-mode tenants use "sy:recipe:test:..." so going live starts clean):
//   sy:recipe:alert:{tenant}:{alert_key}       hash state|ticket|cycle|repeats
//   sy:recipe:usage:{tenant}:{agreement}       hash "<period>|<origin period>|<product>" → sum
//   sy:recipe:usage-closed:{tenant}:{agreement} set of closed periods
//   sy:recipe:usage-lines:{tenant}:{agreement}  hash period → the lines it closed with
//   sy:recipe:done:{tenant}:{command id}        the decision of an applied recipe command
//   sy:recipe:usage-open                        zset "<tenant> <agreement> <period>" → close time
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/redis_client.h"
#include "common/result.h"
#include "common/tenants.h"

namespace switchyard::dispatch {

// What an alert step decided.
struct AlertDecision {
  enum class Action { Open, Repeat, Reopen, Resolve, None };
  Action action = Action::None;
  int ticket = 0;   // which ticket of the alert key (1, 2, ... a new one after each resolve)
  int cycle = 0;    // raise/resolve cycles so far, for unique note refs
  int repeats = 0;  // repeats of the raise in this cycle
};

// One usage line of a closed period.
struct UsageLine {
  std::string origin;   // the period the usage happened in ("" = this period; else an adjustment)
  std::string product;  // "" = none
  double quantity = 0;
};

// Where a usage record went.
struct UsageDecision {
  std::string period;  // the period it was added to
  bool adjustment = false;  // its own period had closed: added to a later one as an adjustment
  double total = 0;         // that bucket's sum so far
};

class RecipeState {
 public:
  RecipeState(RedisClient& redis, std::chrono::seconds ttl) : redis_(redis), ttl_(ttl) {}

  Result<AlertDecision> alert_raised(const Tenant& tenant, const std::string& command_id, const std::string& alert_key,
                                     bool reopen_after_resolve);
  Result<AlertDecision> alert_resolved(const Tenant& tenant, const std::string& command_id, const std::string& alert_key);
  // `candidates`: the usage's own period then the following ones, each with when it closes on
  // schedule (epoch seconds); the first not yet closed takes the usage.
  Result<UsageDecision> usage_recorded(const Tenant& tenant, const std::string& command_id, const std::string& agreement,
                                       const std::string& product, double quantity,
                                       const std::vector<std::pair<std::string, int64_t>>& candidates);
  // Closes `period` (once) and returns its lines; closing again returns the same lines.
  Result<std::vector<UsageLine>> close_period(const Tenant& tenant, const std::string& agreement, const std::string& period);

  // The scheduled closes due by `now` (at most `limit`), as (tenant, agreement, period).
  struct DueClose {
    std::string tenant, agreement, period;
  };
  Result<std::vector<DueClose>> due_closes(std::chrono::system_clock::time_point now, size_t limit);
  // Puts a due close back `delay` from now (its close command is on its way).
  Status postpone_close(const DueClose& close, std::chrono::seconds delay);

 private:
  std::string prefix(const Tenant& tenant) const;

  RedisClient& redis_;
  std::chrono::seconds ttl_;
  std::string alert_sha_, usage_sha_, close_sha_;
};

}  // namespace switchyard::dispatch
