#include "common/tenant_keys.h"

#include <algorithm>

#include "common/tenant_ids.h"

namespace switchyard::tenant_keys {
namespace {

constexpr std::string_view kTenant = "<t>";

std::vector<KeyFamily> make_families() {
  return {
      // Per tenant. The source of each key's format is named so the two stay in step.
      {"watermarks", "poll watermarks (ingest/poll_store.h)", true, {{"sy:poll:<t>:*", ""}}},
      {"poll_state",
       "deltas, backfills, resyncs and sync-now flags being read (ingest/poll_store.h)",
       true,
       {{"sy:poll-delta:{<t>:*", ""},
        {"sy:poll-backfill:{<t>:*", ""},
        {"sy:poll-resync:{<t>:*", ""},
        {"sy:poll-sync:{<t>:*", ""}}},
      {"leases", "poll leases (ingest/poll_store.h)", true, {{"sy:poll-lease:{<t>:*", ""}}},
      {"sync_requests",
       "the tenant's entries in the replicas' sync-now announcements (ingest/poll_store.h)",
       true,
       {{"sy:poll-sync:{requests}", "<t>/*"}}},
      {"executed_commands", "executed-command records (dispatch/command_runner.cpp)", true, {{"sy:cmd:<t>:*", ""}}},
      {"write_memo", "external reference to PSA id memo (dispatch/redis_write_memo.h)", true,
       {{"sy:write:<t>:*", ""}}},
      {"echo_marks", "records a command wrote, to recognise their echo (common/echo_marks.h)", true,
       {{"sy:echo:<t>:*", ""}}},
      {"auth",
       "the sealed PSA token, its refresh lock and a credentials suspension (connectors/auth/token_provider.h)",
       true,
       {{"sy:auth:token:<t>", ""}, {"sy:auth:lock:<t>", ""}, {"sy:auth:suspended:<t>", ""}}},
      {"rate_limits", "the tenant's rate-limit buckets and 429 pauses (common/rate_limiter.h)", true,
       {{"sy:rl:{<t>}*", ""}}},
      {"policy_state", "sync-policy state: companies, agreements, contacts (normalize/policy_state.h)", true,
       {{"sy:policy:{<t>}:*", ""}}},
      {"activity", "recent activity, problems, dead letters and replays (common/activity_log.h)", true,
       {{"sy:activity:{<t>}*", ""}}},
      {"sync_health", "last event and last poll per entity (common/sync_health.h)", true,
       {{"sy:health:{<t>}", ""}}},
      {"adoption", "per-workflow adoption counts (common/adoption.h)", true, {{"sy:adoption:{<t>}", ""}}},
      {"labels", "the PSA's picklist labels and their refresh gate (ingest/label_refresher.h)", true,
       {{"sy:labels:<t>", ""}, {"sy:labels-refresh:<t>", ""}}},
      {"lookups", "cached set-up lists (ingest/lookup_handler.h)", true, {{"sy:lookup:<t>:*", ""}}},
      {"recipes", "recipe state, and the tenant's billing periods waiting to close (dispatch/recipe_state.h)", true,
       {{"sy:recipe:alert:<t>:*", ""},
        {"sy:recipe:usage:<t>:*", ""},
        {"sy:recipe:usage-closed:<t>:*", ""},
        {"sy:recipe:usage-lines:<t>:*", ""},
        {"sy:recipe:done:<t>:*", ""},
        // Test mode keeps its own (docs/test-mode.md), so going live starts clean.
        {"sy:recipe:test:alert:<t>:*", ""},
        {"sy:recipe:test:usage:<t>:*", ""},
        {"sy:recipe:test:usage-closed:<t>:*", ""},
        {"sy:recipe:test:usage-lines:<t>:*", ""},
        {"sy:recipe:test:done:<t>:*", ""},
        {"sy:recipe:usage-open", "<t> *"}}},
      {"divert", "the origins of commands diverted to the retry topic (dispatch/retry_route.h)", true,
       {{"sy:divert:<t>", ""}}},
      {"webhooks", "webhooks registered through the API, and the keeper's check gate (ingest/webhook_keeper.h)",
       true,
       {{"sy:webhooks:{<t>}*", ""}}},
      // Global: no tenant can be read from these keys.
      {"dedup",
       "normalize's claims and done marks, keyed by a SHA-256 of the change (tenant included, not readable); "
       "they expire by their TTL (claims 30 s, done marks 7 days)",
       false,
       {{"sy:dedup:*", ""}}},
      {"sync_announcements", "the replicas' sync-now announcements and their sequence (ingest/poll_store.h)", false,
       {{"sy:poll-sync:{requests}", ""}, {"sy:poll-sync:{requests}:seq", ""}}},
      {"usage_closes", "billing periods waiting to close, every tenant's (dispatch/recipe_state.h)", false,
       {{"sy:recipe:usage-open", ""}}},
      {"audit_config_claims",
       "which replica records a change of the tenants file, keyed by a SHA-256 of the change "
       "(common/config_change_audit.h); they expire after 10 minutes",
       false,
       {{"sy:audit:config:*", ""}}},
      {"egress_rate_limits", "rate limits shared by the tenants of one egress (connectors/rate_limited_psa_http.h)",
       false,
       {{"sy:rl:{egress:*", ""}}},
  };
}

// The part of a key template before the tenant (or before "*", or all of it).
std::string_view fixed_part(std::string_view key_template) {
  const size_t cut = std::min(key_template.find(kTenant), key_template.find('*'));
  return key_template.substr(0, cut);
}

bool is_tenant_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

// Does `text` match template `t` (with "<t>" and a trailing "*")? The tenant it names, if any,
// goes to `tenant`. The id runs to the first character an id cannot hold.
bool matches(std::string_view t, std::string_view text, std::string* tenant) {
  const size_t at = t.find(kTenant);
  std::string_view before = at == std::string_view::npos ? t : t.substr(0, at);
  std::string_view after = at == std::string_view::npos ? std::string_view() : t.substr(at + kTenant.size());
  const bool open = before.ends_with('*') || after.ends_with('*');
  if (before.ends_with('*')) before.remove_suffix(1);
  if (after.ends_with('*')) after.remove_suffix(1);
  if (!text.starts_with(before)) return false;
  text.remove_prefix(before.size());
  if (at != std::string_view::npos) {
    size_t n = 0;
    while (n < text.size() && is_tenant_char(text[n])) ++n;
    if (!valid_tenant_id(text.substr(0, n))) return false;
    if (tenant != nullptr) *tenant = std::string(text.substr(0, n));
    text.remove_prefix(n);
    return open ? text.starts_with(after) : text == after;
  }
  return open || text.empty();
}

}  // namespace

const std::vector<KeyFamily>& families() {
  static const std::vector<KeyFamily> all = make_families();
  return all;
}

const std::vector<OtherLiteral>& other_literals() {
  static const std::vector<OtherLiteral> all = {
      {"sy:", "not a key: the reference Switchyard writes into Autotask fields (autotask/autotask_connector.h)"},
  };
  return all;
}

std::string glob_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string pattern(std::string_view key_or_member_template, std::string_view tenant, bool* exact) {
  std::string out;
  const std::string_view t = key_or_member_template;
  const size_t at = t.find(kTenant);
  if (at == std::string_view::npos) {
    out = std::string(t);
  } else {
    out.append(t.substr(0, at)).append(glob_escape(tenant)).append(t.substr(at + kTenant.size()));
  }
  if (exact != nullptr) *exact = !t.ends_with('*');
  return out;
}

std::optional<Owner> owner_of(std::string_view key) {
  std::string tenant;
  for (const KeyFamily& f : families()) {
    for (const KeyTemplate& t : f.templates) {
      if (!t.member.empty()) continue;
      tenant.clear();
      if (matches(t.key, key, &tenant)) return Owner{f.name, tenant};
    }
  }
  return std::nullopt;
}

std::optional<Owner> owner_of_member(std::string_view key, std::string_view member) {
  std::string tenant;
  for (const KeyFamily& f : families()) {
    for (const KeyTemplate& t : f.templates) {
      if (t.member.empty() || t.key != key) continue;
      tenant.clear();
      if (matches(t.member, member, &tenant)) return Owner{f.name, tenant};
    }
  }
  return std::nullopt;
}

bool literal_is_classified(std::string_view literal) {
  for (const OtherLiteral& o : other_literals()) {
    if (literal == o.text) return true;
  }
  if (literal == "sy:") return false;  // a prefix of everything: only other_literals() says what it is
  for (const KeyFamily& f : families()) {
    for (const KeyTemplate& t : f.templates) {
      const std::string_view fixed = fixed_part(t.key);
      if (literal.starts_with(fixed) || fixed.starts_with(literal)) return true;
    }
  }
  return false;
}

}  // namespace switchyard::tenant_keys
