// Recipes: commands at a higher level (docs/recipes.md). The vendor sends what happened on its
// platform (an alert was raised, usage was recorded); dispatch keeps the recipe's state in Redis
// and expands each recipe command into the commands of common/command.h (ticket.upsert,
// ticket.note, ticket.close, billing_line.add), which then run like any other. They share the
// commands topic, the command envelope (id, tenant, type, issued_at, payload) and its rules.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"

namespace switchyard {

// An alert on the vendor platform: opens a ticket, or adds a note to the open one.
struct AlertRaised {
  std::string alert_key;  // 1..128 of [A-Za-z0-9._:-]: one ticket per key at a time
  std::string title;      // 1..255 characters
  std::optional<std::string> description{};  // up to 8000 characters
  std::string severity;   // 1..32 of [a-z0-9_-]: the tenant's severity table picks the priority
  std::optional<std::string> company_id{};  // PSA company; the tenant's default when unset
  std::optional<std::string> board_id{};    // PSA board/queue; the recipe's or tenant's default
  std::optional<std::string> occurred_at{};  // RFC 3339, quoted in notes
  bool operator==(const AlertRaised&) const = default;
};

// The alert cleared: a resolution note, then the ticket is closed.
struct AlertResolved {
  std::string alert_key;
  std::optional<std::string> resolution{};  // up to 8000 characters
  std::optional<std::string> occurred_at{};
  bool operator==(const AlertResolved&) const = default;
};

// Usage of a product under a customer's agreement, summed per billing period.
struct UsageRecorded {
  std::string agreement_id;  // PSA agreement/contract id, 1..64 of [A-Za-z0-9._:-]
  std::optional<std::string> company_id{};  // the customer (PSA company id), for the record
  std::optional<std::string> product_id{};  // 1..64 of [A-Za-z0-9._:-]; one line per product
  double quantity = 0;                      // > 0
  std::string occurred_at;                  // RFC 3339: picks the billing period
  bool operator==(const UsageRecorded&) const = default;
};

// Closes one billing period of an agreement: its sums become billing lines.
struct UsagePeriodClosed {
  std::string agreement_id;
  std::string period;  // "YYYY-MM", a month in the tenant's billing_timezone
  bool operator==(const UsagePeriodClosed&) const = default;
};

using RecipePayload = std::variant<AlertRaised, AlertResolved, UsageRecorded, UsagePeriodClosed>;

struct RecipeCommand {
  std::string id;         // same rules as Command::id
  std::string tenant;
  std::string issued_at;  // as sent; "" when absent
  RecipePayload payload;
  bool operator==(const RecipeCommand&) const = default;
};

// "alert.raised", "alert.resolved", "usage.recorded", "usage.period_closed".
std::string_view recipe_type(const RecipeCommand& recipe);
std::span<const std::string_view> recipe_types();
bool is_recipe_type(std::string_view type);
// The stream a recipe command belongs to, kept in order on one partition: an alert's key, or
// an agreement ("<tenant>/alert:<key>", "<tenant>/agreement:<id>").
std::string recipe_partition_key(const RecipeCommand& recipe);
// The recipe's subject, reported as the result's external_ref: the alert key or agreement id.
std::string recipe_subject(const RecipeCommand& recipe);

std::string to_json(const RecipeCommand& recipe);
// Validates like command_from_json (errors name the field). A type that is neither a recipe nor
// a command is "unknown_command_type", naming every known type.
Result<RecipeCommand> recipe_from_json(std::string_view json);

}  // namespace switchyard
