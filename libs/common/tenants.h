// The tenants file: which MSP tenants exist, which PSA each uses, how to reach and
// authenticate to it, how webhooks from it are verified, and how fast we may call it.
//
//   {"tenants": [{"id": "acme", "psa": "connectwise", "base_url": "https://api-na.myconnectwise.net/v4_6_release/apis/3.0",
//                 "credentials": {"company_id": "acme", "public_key": {"env": "ACME_CW_PUBLIC"},
//                                 "private_key": {"file": "/var/run/secrets/acme/private_key"}, ...},
//                 "webhook_signing_secrets": [{"file": "..."}], "webhook_url_secrets": [{"file": "..."}],
//                 "rate_limit": {"requests_per_second": 5, "burst": 10}, "egress": "nat-eu-1",
//                 "poll": {"enabled": true, "interval_seconds": 60, "entities": ["ticket", "company"],
//                          "page_size": 100},
//                 "options": {"default_board_id": "1"},
//                 "mappings": {"company_classification": {"Reseller": "partner"}}}]}
//
// A secret value is a literal string or a reference {"env": NAME} / {"file": PATH}, resolved at
// load (common/secret_ref.h). base_url must be https:// unless "allow_insecure_http": true
// (local sandboxes). Errors name the field ("tenants[1].credentials.private_key: required for
// psa connectwise") and never include a secret's value.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/mappings.h"
#include "common/recipe_settings.h"
#include "common/sync_policy.h"
#include "common/result.h"

namespace switchyard {

struct RateLimitConfig {
  double requests_per_second = 5;
  int burst = 10;
  // The tenant's share of a budget its PSA counts across every integration of the MSP
  // (ConnectorBudgets::shared_budget); 0 when the PSA has none or requests_per_second was set.
  double share = 0;
  bool operator==(const RateLimitConfig&) const = default;
};

struct PollConfig {
  bool enabled = false;
  std::chrono::seconds interval{60};
  std::vector<std::string> entities;  // canonical type names the connector can poll
  int page_size = 0;                  // records per page; 0 = the deployment's or the connector's default
  bool operator==(const PollConfig&) const = default;
};

struct Tenant {
  std::string id;
  std::string psa;
  std::string base_url;
  bool allow_insecure_http = false;  // lets base_url be http:// (local sandboxes only)
  std::map<std::string, std::string> credentials;  // resolved secret values: never log them
  // Resolved; up to two each, so a rotation can overlap. Signing secrets check the PSA's
  // signature over the body; a URL secret is the last segment of the webhook URL
  // (/v1/webhooks/{psa}/{tenant}/{secret}), for PSAs that sign nothing, or as a second factor.
  std::vector<std::string> webhook_signing_secrets;  // "webhook_secrets" is still read (deprecated)
  std::vector<std::string> webhook_url_secrets;
  bool deprecated_names = false;  // configured with "webhook_secrets": warned about at load
  // Entities no webhook of the PSA reports and the tenant does not poll: warned about at load.
  std::vector<std::string> unseen_entities;
  RateLimitConfig rate_limit;  // defaults from the connector's ConnectorBudgets
  // Where this tenant's PSA calls leave from (a NAT gateway, an egress IP), for PSAs that count
  // requests per calling address: tenants with the same egress share that budget.
  std::string egress = "default";
  PollConfig poll;
  std::map<std::string, std::string> options;      // connector-specific settings
  Mappings mappings;  // overrides of the connector's default_mappings, entry by entry
  policy::SyncPolicies sync_policies;  // what normalize emits (docs/sync-policies.md); default all
  // Paused by the operator: no polls, commands park (reason "tenant_paused") until resumed;
  // webhooks are still taken in.
  bool paused = false;
  // "mode": "test" (docs/test-mode.md): reads work as usual, but each command is only rendered
  // into the PSA request it would make and recorded as "would_send"; nothing is written.
  bool test_mode = false;
  // Recipes (docs/recipes.md): how alerts become tickets and usage becomes billing lines.
  RecipeSettings recipes{};
  // IANA time zone of the tenant's billing periods ("Europe/Berlin"); "" = UTC.
  std::string billing_timezone{};
  // Sync health: no event from the tenant for this long raises SwitchyardTenantSilent
  // (docs/activity.md#sync-health). "silence_threshold_minutes", default a day.
  std::chrono::minutes silence_threshold{24 * 60};
  bool operator==(const Tenant&) const = default;
};

// What a PSA lets one integration spend, as its connector declares it from the PSA's published
// limits (docs/rate-limits.md). Every budget is a sustained rate and a burst, kept in Redis and
// shared by every replica (common/rate_limiter.h).
struct ConnectorBudgets {
  // A tenant's own budget when its entry sets no "rate_limit".
  RateLimitConfig tenant_default{};
  // A budget per endpoint family where the PSA counts per endpoint (1,500 calls an hour per
  // endpoint): the request's path below base_url with its ids left out
  // (connectors/endpoint_family.h) is added to the limiter key.
  std::optional<RateLimitConfig> per_endpoint_family{};
  // A budget per calling address where the PSA counts per IP: every tenant of this PSA behind
  // one egress (Tenant::egress) spends it.
  std::optional<RateLimitConfig> per_egress{};
  // A budget the PSA counts per customer database, shared with every other integration the MSP
  // runs (10,000 an hour): the tenant default is then this times the tenant's share, which
  // defaults to `default_share` and is settable per tenant ("rate_limit": {"share": 0.25}).
  std::optional<RateLimitConfig> shared_budget{};
  double default_share = 1.0;
  // For a PSA that slows its answers as a budget nears its end rather than refusing early
  // (Autotask adds about 0.5 s a call from half of its hourly threshold, 1 s from three
  // quarters): an answer that took at least this long pauses the budget the PSA counts by, on
  // every replica, for as long as the answer took, so the rate at least halves until answers
  // are quick again. Unset: no such back-off.
  std::optional<std::chrono::milliseconds> slow_answer{};
};

// Records per page of a poll: the PSA's usual page and the most it serves in one.
struct PageSizes {
  int preferred = 100;
  int max = 100;
};

// What a connector needs from a tenant entry; the loader validates against it.
struct ConnectorSpec {
  std::vector<std::string> required_credentials;
  std::vector<std::string> optional_credentials;
  std::vector<std::string> options;            // allowed option names
  std::vector<std::string> pollable_entities;  // canonical types poll_deltas supports
  // Canonical types the PSA reports by webhook. A pollable entity not in this list changes
  // unseen unless the tenant polls it (the loader warns).
  std::vector<std::string> webhook_entities;
  ConnectorBudgets budgets{};
  PageSizes page_sizes{};
  // What a tenant must configure for its webhooks to be verified. PsaServedKey: signed with a
  // key the PSA serves itself and names in each webhook (nothing to configure; configured
  // signing secrets are still tried first, and a URL secret may be added as a second factor).
  enum class WebhookAuth { None, Signature, UrlSecret, SignatureOrUrlSecret, PsaServedKey };
  WebhookAuth webhook_auth = WebhookAuth::None;
  // This PSA's usual values (e.g. its stock company types → classification); a tenant's
  // "mappings" override them entry by entry (common/mappings.h).
  Mappings default_mappings{};
  // The connector finds the tenant's API URL itself (Autotask's zone lookup): base_url is then
  // optional, an override (Tenant::base_url stays empty without it).
  bool discovers_base_url = false;
};
// nullptr when the PSA is unknown.
using ConnectorSpecLookup = std::function<const ConnectorSpec*(std::string_view psa)>;

// One loaded set of tenants, immutable once built. Its destructor overwrites the resolved
// secrets, so a reload that removes a tenant leaves no copy of its credentials in memory once
// the last user of the old set lets go (common/live_tenants.h).
class TenantDirectory {
 public:
  TenantDirectory() = default;
  TenantDirectory(const TenantDirectory&) = default;
  TenantDirectory(TenantDirectory&&) noexcept = default;
  TenantDirectory& operator=(const TenantDirectory&) = default;
  TenantDirectory& operator=(TenantDirectory&&) noexcept = default;
  ~TenantDirectory();

  const Tenant* find(std::string_view id) const;
  const std::vector<Tenant>& all() const { return tenants_; }
  size_t size() const { return tenants_.size(); }
  bool operator==(const TenantDirectory& other) const { return tenants_ == other.tenants_; }
  // While building: fails on a duplicate id (the error names `path`.id).
  Status add(Tenant tenant, const std::string& path);

 private:
  std::vector<Tenant> tenants_;
  std::map<std::string, size_t, std::less<>> index_;  // id → position in tenants_
};

Result<TenantDirectory> parse_tenants(std::string_view json, const ConnectorSpecLookup& specs, const Env& env);
// `path` is either the tenants file ({"tenants": [...]}) or a directory with one file per
// tenant, `<id>.json`, each holding one tenant object (suits a Kubernetes ConfigMap: one key per
// tenant, no 1 MiB limit on one object). In a directory, names starting with "." (Kubernetes'
// `..data` symlinks) and names not ending in ".json" are skipped. Errors name the file.
Result<TenantDirectory> read_tenants(const std::string& path, const ConnectorSpecLookup& specs, const Env& env);
// The tenant files of a tenants directory, by that rule, in name order: every reader of the
// directory (tenants, tenant ids, mappings) lists it through this one function.
Result<std::vector<std::filesystem::path>> tenant_files(const std::filesystem::path& dir);
// Logs what an operator should fix in a tenant that loads (insecure http, deprecated names).
void warn_about(const Tenant& tenant);
// read_tenants(), throwing ConfigError with the path and the field on failure, and warning
// about tenants that allow insecure http.
TenantDirectory load_tenants_file(const std::string& path, const ConnectorSpecLookup& specs, const Env& env);

}  // namespace switchyard
