// RecipeExpander: turns one recipe command (common/recipe.h) into the commands it stands for,
// keeping the recipe's state in Redis (RecipeState). The commands it makes have ids derived
// from the recipe command's id (or, for billing lines, from the line itself), so a redelivered
// recipe command, or a period closed twice, expands into commands dispatch has already run:
// they come out as skipped_duplicate, never as a second ticket or billing line.
#pragma once

#include <string>
#include <vector>

#include "common/command.h"
#include "common/recipe.h"
#include "common/tenants.h"
#include "dispatch/recipe_state.h"

namespace switchyard::dispatch {

struct Expansion {
  std::vector<Command> commands;  // in the order they must run
  std::string summary;            // what happened, in ids and fixed words (no alert text)
};

// The command types a recipe expands into, which the tenant's connector must support.
std::vector<std::string_view> commands_needed(const RecipeCommand& recipe);

class RecipeExpander {
 public:
  explicit RecipeExpander(RecipeState& state) : state_(state) {}
  // Errors: "redis_unavailable"-like errors from Redis (retry), "usage_too_late" (dead letter).
  Result<Expansion> expand(const Tenant& tenant, const RecipeCommand& recipe);

 private:
  Result<Expansion> raised(const Tenant& tenant, const RecipeCommand& recipe, const AlertRaised& alert);
  Result<Expansion> resolved(const Tenant& tenant, const RecipeCommand& recipe, const AlertResolved& alert);
  Result<Expansion> recorded(const Tenant& tenant, const RecipeCommand& recipe, const UsageRecorded& usage);
  Result<Expansion> closed(const Tenant& tenant, const RecipeCommand& recipe, const UsagePeriodClosed& close);

  RecipeState& state_;
};

}  // namespace switchyard::dispatch
