// A tenant's recipe settings ("recipes" in its tenants-file entry; docs/recipes.md):
//   "recipes": {"alert_ticket": {"after_resolved": "reopen" | "new_ticket",
//                                "severity_priority": {"disaster": "critical", ...},
//                                "reopen_status": "new", "board_id": "4"},
//               "usage_billing": {"close_after_minutes": 60, "description": "Usage"}}
// and "billing_timezone": "Europe/Berlin" (billing periods are UTC months without it).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <simdjson.h>

#include "common/result.h"

namespace switchyard {

struct AlertTicketSettings {
  // An alert raised again after it was resolved: reopen its ticket, or open a new one.
  enum class AfterResolved { NewTicket, Reopen };
  AfterResolved after_resolved = AfterResolved::NewTicket;
  // Alert severity → canonical priority (low|medium|high|critical); entries override the defaults
  // (kDefaultSeverityPriority), and an unknown severity is "medium".
  std::map<std::string, std::string, std::less<>> severity_priority{};
  std::string reopen_status = "new";    // canonical status (the tenant's "status" mapping)
  std::optional<std::string> board_id{};  // where alert tickets go; else the tenant's default
  bool operator==(const AlertTicketSettings&) const = default;
};

struct UsageBillingSettings {
  // A period closes on schedule this long after it ends, so usage sent a little late still
  // counts in it (later usage goes to an adjustment line in the next period).
  std::chrono::minutes close_after{60};
  std::string description = "Usage";  // the billing line's text: "<description> 2026-11"
  bool operator==(const UsageBillingSettings&) const = default;
};

struct RecipeSettings {
  AlertTicketSettings alert_ticket{};
  UsageBillingSettings usage_billing{};
  bool operator==(const RecipeSettings&) const = default;
};

// The priority for `severity` under `settings` (tenant entries, then the defaults, then "medium").
std::string priority_for_severity(const AlertTicketSettings& settings, std::string_view severity);

// Parses a "recipes" object; errors name the field ("tenants[0].recipes.alert_ticket.after_resolved: ...").
Result<RecipeSettings> parse_recipe_settings(simdjson::dom::object obj, const std::string& path);

}  // namespace switchyard
