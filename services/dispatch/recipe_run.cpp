// CommandRunner::run_recipe: a recipe command becomes the commands it stands for
// (recipe_expander.h), produced to the commands topic behind it, then its result "expanded".
#include <algorithm>

#include "common/log.h"
#include "common/trace.h"
#include "dispatch/command_runner.h"
#include "dispatch/recipe_expander.h"

namespace switchyard::dispatch {

RunOutcome CommandRunner::run_recipe(WindowEntry& e, const Tenant& tenant, const connectors::Connector& connector) {
  const RecipeCommand& recipe = *e.recipe;
  const std::string type(recipe_type(recipe));
  const auto supported = connector.supported_commands();
  for (const std::string_view needed : commands_needed(recipe)) {
    if (std::ranges::find(supported, needed) == supported.end()) {
      return dead_letter(e, "unsupported_command",
                         std::string(connector.display_name()) + " does not support the command " +
                             std::string(needed) + ", which the recipe " + type + " needs");
    }
  }
  RecipeExpander expander(recipes_);
  auto expansion = expander.expand(tenant, recipe);
  if (!expansion) {
    if (expansion.error().message.find("usage_too_late") != std::string::npos) {
      return dead_letter(e, "usage_too_late",
                         "the usage's billing period and the 12 after it are closed: it cannot be billed");
    }
    // Redis did not answer (or a tz database problem): nothing was applied; it comes again.
    ctx_.metrics.count_redis_error("recipe_state");
    log::warn("recipe state unavailable; retrying", {{"tenant", tenant.id}, {"command_id", recipe.id},
                                                     {"error", expansion.error().message}});
    return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "recipe_state_unavailable"};
  }
  // The commands go behind the recipe on the commands topic, keyed like any command, and run
  // like any other (retries, test mode, dead letters). Produced in order and acknowledged each:
  // a crash in between expands the recipe again into the same ids, which are then skipped.
  const std::string trace = trace_of(e);
  const std::string& topic = ctx_.config.topics.commands;
  CommandResult r = result_of(e, "expanded");
  for (const Command& c : expansion->commands) {
    const std::vector<KafkaHeader> headers{{"sy-tenant", c.tenant},
                                           {"sy-command-type", std::string(command_type(c))},
                                           {"sy-command-id", c.id},
                                           {"sy-recipe-id", recipe.id},
                                           {std::string(kTraceHeader), trace}};
    beat();
    const DeliveryResult d = ctx_.producer.produce_sync(topic, command_partition_key(c), to_json(c), headers);
    ctx_.metrics.observe_produce(topic, d.ok, d.latency_seconds);
    if (!d.ok) {
      log::warn("recipe's command not stored; the recipe comes again", {{"tenant", tenant.id}, {"error", d.error}});
      return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
    }
    r.commands.push_back(c.id);
  }
  r.reason = expansion->summary;
  const size_t made = r.commands.size();
  if (!publish(e, std::move(r), true)) {
    return RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "kafka_unavailable"};
  }
  ctx_.dispatch_metrics.count_command(tenant.id, tenant.psa, type, "expanded");
  log::info("recipe expanded", {{"tenant", tenant.id}, {"type", type}, {"command_id", recipe.id},
                                {"commands", static_cast<int64_t>(made)}, {"trace_id", trace}});
  return finished(e);
}

}  // namespace switchyard::dispatch
