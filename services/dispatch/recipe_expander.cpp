#include "dispatch/recipe_expander.h"

#include <cmath>
#include <cstdio>

#include "common/crypto.h"
#include "common/time_format.h"
#include "common/usage_period.h"

namespace switchyard::dispatch {
namespace {

// Periods after its own that late usage may still go to (as an adjustment).
constexpr int kLatePeriods = 12;

// The id of the command a recipe command makes at `step`: readable when it fits.
std::string derived_id(const std::string& recipe_id, std::string_view step) {
  if (recipe_id.size() + 1 + step.size() <= 128) return recipe_id + "." + std::string(step);
  return crypto::sha256_hex(recipe_id).substr(0, 64) + "." + std::string(step);
}

Command make(const RecipeCommand& recipe, std::string id, CommandPayload payload) {
  return Command{std::move(id), recipe.tenant, now_rfc3339(), std::move(payload)};
}

std::string ticket_ref(const std::string& alert_key, int ticket) {
  return ticket <= 1 ? "alert:" + alert_key : "alert:" + alert_key + ":" + std::to_string(ticket);
}

std::string when(const std::optional<std::string>& occurred_at) {
  return occurred_at ? " at " + *occurred_at : "";
}

TicketUpsert ticket_for(const Tenant& tenant, const std::string& ref, const AlertRaised& alert) {
  const auto& settings = tenant.recipes.alert_ticket;
  TicketUpsert t;
  t.external_ref = ref;
  t.title = alert.title;
  t.description = alert.description;
  t.priority = FieldChoice::canonical(priority_for_severity(settings, alert.severity));
  t.company_id = alert.company_id;
  t.board_id = alert.board_id ? alert.board_id : settings.board_id;
  return t;
}

TicketNoteAdd note(const std::string& ref, std::string note_ref, std::string text) {
  return TicketNoteAdd{ref, std::move(note_ref), std::move(text), TicketNoteAdd::Visibility::Internal};
}

std::string quantity_text(double q) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", q);
  return text;
}

}  // namespace

std::vector<std::string_view> commands_needed(const RecipeCommand& recipe) {
  if (std::holds_alternative<AlertRaised>(recipe.payload) || std::holds_alternative<AlertResolved>(recipe.payload)) {
    return {"ticket.upsert", "ticket.note", "ticket.close"};
  }
  return {"billing_line.add"};
}

Result<Expansion> RecipeExpander::expand(const Tenant& tenant, const RecipeCommand& recipe) {
  return std::visit(
      [&](const auto& p) -> Result<Expansion> {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, AlertRaised>) return raised(tenant, recipe, p);
        else if constexpr (std::is_same_v<T, AlertResolved>) return resolved(tenant, recipe, p);
        else if constexpr (std::is_same_v<T, UsageRecorded>) return recorded(tenant, recipe, p);
        else return closed(tenant, recipe, p);
      },
      recipe.payload);
}

Result<Expansion> RecipeExpander::raised(const Tenant& tenant, const RecipeCommand& recipe, const AlertRaised& alert) {
  const bool reopen = tenant.recipes.alert_ticket.after_resolved == AlertTicketSettings::AfterResolved::Reopen;
  auto d = state_.alert_raised(tenant, recipe.id, alert.alert_key, reopen);
  if (!d) return d.error();
  const std::string ref = ticket_ref(alert.alert_key, d->ticket);
  const std::string cycle = std::to_string(d->cycle);
  Expansion out;
  using Action = AlertDecision::Action;
  if (d->action == Action::Open) {
    out.commands.push_back(make(recipe, derived_id(recipe.id, "open"), ticket_for(tenant, ref, alert)));
    out.summary = "opened ticket " + ref;
  } else if (d->action == Action::Repeat) {
    const std::string n = std::to_string(d->repeats);
    out.commands.push_back(make(recipe, derived_id(recipe.id, "repeat"),
                                note(ref, "alert-repeat-" + cycle + "-" + n,
                                     "The alert was raised again" + when(alert.occurred_at) + " (repeat " + n +
                                         " since the ticket was opened).")));
    out.summary = "repeat " + n + " of the alert: note added to ticket " + ref;
  } else if (d->action == Action::Reopen) {
    TicketUpsert t = ticket_for(tenant, ref, alert);
    t.status = FieldChoice::canonical(tenant.recipes.alert_ticket.reopen_status);
    out.commands.push_back(make(recipe, derived_id(recipe.id, "reopen"), std::move(t)));
    out.commands.push_back(make(recipe, derived_id(recipe.id, "reopen-note"),
                                note(ref, "alert-reopened-" + cycle,
                                     "The alert was raised again" + when(alert.occurred_at) +
                                         " after it was resolved: the ticket was reopened.")));
    out.summary = "raised again after it was resolved: ticket " + ref + " reopened";
  }
  return out;
}

Result<Expansion> RecipeExpander::resolved(const Tenant& tenant, const RecipeCommand& recipe,
                                           const AlertResolved& alert) {
  auto d = state_.alert_resolved(tenant, recipe.id, alert.alert_key);
  if (!d) return d.error();
  Expansion out;
  if (d->action != AlertDecision::Action::Resolve) {
    out.summary = "no open ticket for this alert: nothing to do";
    return out;
  }
  const std::string ref = ticket_ref(alert.alert_key, d->ticket);
  std::string text = "The alert was resolved" + when(alert.occurred_at) + ".";
  if (alert.resolution) text += "\n\n" + *alert.resolution;
  out.commands.push_back(
      make(recipe, derived_id(recipe.id, "resolution"), note(ref, "alert-resolved-" + std::to_string(d->cycle), text)));
  out.commands.push_back(make(recipe, derived_id(recipe.id, "close"), TicketClose{ref, alert.resolution}));
  out.summary = "resolved: note added and ticket " + ref + " closed";
  return out;
}

Result<Expansion> RecipeExpander::recorded(const Tenant& tenant, const RecipeCommand& recipe,
                                           const UsageRecorded& usage) {
  auto at = parse_rfc3339(usage.occurred_at);
  if (!at) return at.error();
  auto period = usage::period_of(*at, tenant.billing_timezone);
  if (!period) return period.error();
  std::vector<std::pair<std::string, int64_t>> candidates;
  std::string p = *period;
  for (int i = 0; i <= kLatePeriods; ++i, p = usage::next_period(p)) {
    auto end = usage::period_end(p, tenant.billing_timezone);
    if (!end) return end.error();
    const auto due = *end + tenant.recipes.usage_billing.close_after;
    candidates.emplace_back(p, std::chrono::duration_cast<std::chrono::seconds>(due.time_since_epoch()).count());
  }
  auto d = state_.usage_recorded(tenant, recipe.id, usage.agreement_id, usage.product_id.value_or(""), usage.quantity,
                                 candidates);
  if (!d) return d.error();
  Expansion out;
  out.summary = d->adjustment ? "period " + *period + " had closed: added " + quantity_text(usage.quantity) + " to " +
                                    d->period + " as an adjustment (total " + quantity_text(d->total) + ")"
                              : "added " + quantity_text(usage.quantity) + " to " + d->period + " (total " +
                                    quantity_text(d->total) + ")";
  return out;
}

Result<Expansion> RecipeExpander::closed(const Tenant& tenant, const RecipeCommand& recipe,
                                         const UsagePeriodClosed& close) {
  auto lines = state_.close_period(tenant, close.agreement_id, close.period);
  if (!lines) return lines.error();
  Expansion out;
  for (const UsageLine& line : *lines) {
    BillingLineAdd b;
    b.external_ref = "usage:" + close.agreement_id + ":" + close.period;
    b.description = tenant.recipes.usage_billing.description + " " + close.period;
    if (!line.origin.empty()) {
      b.external_ref += ":adj:" + line.origin;
      b.description += " (adjustment for " + line.origin + ")";
    }
    if (!line.product.empty()) {
      b.external_ref += ":" + line.product;
      b.product_id = line.product;
    }
    b.agreement_id = close.agreement_id;
    b.quantity = std::round(line.quantity * 1e6) / 1e6;
    b.effective_date = usage::last_day(close.period);
    // From the line, not the close command: a scheduled and an explicit close make the same ids.
    std::string id = "usage-line." + crypto::sha256_hex(tenant.id + "/" + b.external_ref).substr(0, 40);
    out.commands.push_back(make(recipe, std::move(id), std::move(b)));
  }
  out.summary = "period " + close.period + " closed: " + std::to_string(out.commands.size()) + " billing line" +
                (out.commands.size() == 1 ? "" : "s");
  return out;
}

}  // namespace switchyard::dispatch
