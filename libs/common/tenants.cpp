#include "common/tenants.h"
#include "common/usage_period.h"

#include "common/sync_policy_settings.h"

#include <openssl/crypto.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/http_client.h"
#include "common/json_read.h"
#include "common/log.h"
#include "common/secret_ref.h"
#include "common/tenant_ids.h"

namespace switchyard {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Error field_error(const std::string& path, const std::string& message) {
  return make_error("invalid_tenant_config", path + ": " + message);
}

// Shared resolution, reported as a tenants-file error.
Result<std::string> tenant_secret(element value, const std::string& path, const Env& env) {
  auto secret = resolve_secret(value, path, env);
  if (!secret) return make_error("invalid_tenant_config", secret.error().message);
  return secret;
}

Status check_known_keys(object obj, const std::set<std::string_view>& known, const std::string& path) {
  for (auto [key, value] : obj) {
    (void)value;
    if (!known.contains(key)) return field_error(json::join_path(path, key), "unknown field");
  }
  return ok_status();
}

// Up to two resolved secrets from the array `name`, if present.
Status read_webhook_secrets(object obj, const std::string& path, const std::string& name, const Env& env,
                            std::vector<std::string>& out) {
  auto secrets = json::optional_array(obj, name, path);
  if (!secrets) return secrets.error();
  if (!*secrets) return ok_status();
  size_t i = 0;
  for (element value : **secrets) {
    auto secret = tenant_secret(value, path + "." + name + "[" + std::to_string(i++) + "]", env);
    if (!secret) return secret.error();
    out.push_back(std::move(*secret));
  }
  if (out.size() > 2) return field_error(path + "." + name, "at most 2 (current and next, during a rotation)");
  return ok_status();
}

// "rate_limit": the connector's default budget unless the tenant sets its own; for a PSA that
// counts one budget across the MSP's integrations, the default is the tenant's share of it.
Status read_rate_limit(object obj, const std::string& path, const ConnectorSpec& spec, Tenant& t) {
  const ConnectorBudgets& budgets = spec.budgets;
  t.rate_limit = budgets.tenant_default;
  t.rate_limit.share = 0;
  auto apply_share = [&](double share) {
    t.rate_limit.share = share;
    t.rate_limit.requests_per_second = budgets.shared_budget->requests_per_second * share;
  };
  if (budgets.shared_budget) apply_share(budgets.default_share);

  auto rate = json::optional_object(obj, "rate_limit", path);
  if (!rate) return rate.error();
  if (*rate) {
    const std::string rate_path = path + ".rate_limit";
    if (auto st = check_known_keys(**rate, {"requests_per_second", "burst", "share"}, rate_path); !st) return st;
    auto rps = json::optional_number(**rate, "requests_per_second", rate_path);
    if (!rps) return rps.error();
    auto share = json::optional_number(**rate, "share", rate_path);
    if (!share) return share.error();
    if (*share) {
      if (!budgets.shared_budget) {
        return field_error(rate_path + ".share", "psa " + t.psa + " has no budget shared with other integrations; "
                                                 "set requests_per_second instead");
      }
      if (*rps) return field_error(rate_path + ".share", "give requests_per_second or share, not both");
      if (!(**share > 0) || **share > 1) return field_error(rate_path + ".share", "must be in (0, 1]");
      apply_share(**share);
    }
    if (*rps) {
      if (**rps <= 0 || **rps > 10000) return field_error(rate_path + ".requests_per_second", "must be in (0, 10000]");
      t.rate_limit.requests_per_second = **rps;
      t.rate_limit.share = 0;
    }
    auto burst = json::optional_int(**rate, "burst", rate_path);
    if (!burst) return burst.error();
    if (*burst) {
      if (**burst < 1 || **burst > 100000) return field_error(rate_path + ".burst", "must be in [1, 100000]");
      t.rate_limit.burst = static_cast<int>(**burst);
    }
  }

  auto egress = json::optional_string(obj, "egress", path);
  if (!egress) return egress.error();
  if (*egress) {
    const bool valid = !(*egress)->empty() && (*egress)->size() <= 64 &&
                       std::all_of((*egress)->begin(), (*egress)->end(), [](char c) {
                         return std::islower(static_cast<unsigned char>(c)) ||
                                std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                       });
    if (!valid) return field_error(path + ".egress", "must be 1-64 characters of a-z, 0-9, '-', '_' or '.'");
    t.egress = **egress;
  }
  return ok_status();
}

// "poll": which entities, how often, how many records a page. Records that no webhook reports
// and that are not polled would change unseen: noted for warn_about().
Status read_poll(object obj, const std::string& path, const ConnectorSpec& spec, Tenant& t) {
  auto poll = json::optional_object(obj, "poll", path);
  if (!poll) return poll.error();
  if (*poll) {
    const std::string poll_path = path + ".poll";
    if (auto st = check_known_keys(**poll, {"enabled", "interval_seconds", "entities", "page_size"}, poll_path); !st) {
      return st;
    }
    auto enabled = json::optional_bool(**poll, "enabled", poll_path, true);
    if (!enabled) return enabled.error();
    t.poll.enabled = *enabled;
    auto interval = json::optional_int(**poll, "interval_seconds", poll_path);
    if (!interval) return interval.error();
    if (*interval) {
      if (**interval < 1 || **interval > 86400) return field_error(poll_path + ".interval_seconds", "must be 1-86400");
      t.poll.interval = std::chrono::seconds(**interval);
    }
    auto page_size = json::optional_int(**poll, "page_size", poll_path);
    if (!page_size) return page_size.error();
    if (*page_size) {
      if (**page_size < 1 || **page_size > spec.page_sizes.max) {
        return field_error(poll_path + ".page_size",
                           "must be 1-" + std::to_string(spec.page_sizes.max) + " (the most psa " + t.psa + " serves)");
      }
      t.poll.page_size = static_cast<int>(**page_size);
    }
    auto entities = json::optional_array(**poll, "entities", poll_path);
    if (!entities) return entities.error();
    if (*entities) {
      size_t i = 0;
      for (element value : **entities) {
        const std::string entity_path = poll_path + ".entities[" + std::to_string(i++) + "]";
        std::string_view name;
        if (value.get(name) != simdjson::SUCCESS) return field_error(entity_path, "must be a string");
        if (std::ranges::find(spec.pollable_entities, name) == spec.pollable_entities.end()) {
          return field_error(entity_path, "psa " + t.psa + " cannot poll \"" + std::string(name) + "\"");
        }
        t.poll.entities.emplace_back(name);
      }
    } else {
      t.poll.entities = spec.pollable_entities;
    }
  }
  for (const std::string& entity : spec.pollable_entities) {
    const bool by_webhook = std::ranges::find(spec.webhook_entities, entity) != spec.webhook_entities.end();
    const bool polled = t.poll.enabled && std::ranges::find(t.poll.entities, entity) != t.poll.entities.end();
    if (!by_webhook && !polled) t.unseen_entities.push_back(entity);
  }
  return ok_status();
}

Result<Tenant> parse_tenant(object obj, const std::string& path, const ConnectorSpecLookup& specs, const Env& env) {
  static const std::set<std::string_view> kKnown = {"id",         "psa",  "base_url", "allow_insecure_http", "credentials",
                                                    "webhook_secrets", "webhook_signing_secrets", "webhook_url_secrets",
                                                    "rate_limit", "egress", "poll", "options", "paused",
                                                    "mappings", "sync_policies", "silence_threshold_minutes",
                                                    "mode", "recipes", "billing_timezone"};
  if (auto st = check_known_keys(obj, kKnown, path); !st) return st.error();

  Tenant t;
  auto id = json::required_string(obj, "id", path);
  if (!id) return id.error();
  if (!valid_tenant_id(*id)) return field_error(path + ".id", "must be 1-64 characters of a-z, 0-9, '-' or '_'");
  t.id = *id;

  auto paused = json::optional_bool(obj, "paused", path, false);
  if (!paused) return paused.error();
  t.paused = *paused;

  auto mode = json::optional_string(obj, "mode", path);
  if (!mode) return mode.error();
  if (*mode && **mode != "live" && **mode != "test") return field_error(path + ".mode", "must be \"live\" or \"test\"");
  t.test_mode = *mode && **mode == "test";

  auto silence = json::optional_int(obj, "silence_threshold_minutes", path);
  if (!silence) return silence.error();
  if (*silence) {
    if (**silence < 5 || **silence > 60 * 24 * 90) {
      return field_error(path + ".silence_threshold_minutes", "must be 5 to 129600 (90 days)");
    }
    t.silence_threshold = std::chrono::minutes(**silence);
  }

  auto psa = json::required_string(obj, "psa", path);
  if (!psa) return psa.error();
  const ConnectorSpec* spec = specs(*psa);
  if (spec == nullptr) return field_error(path + ".psa", "unknown PSA \"" + *psa + "\"");
  t.psa = *psa;

  auto insecure = json::optional_bool(obj, "allow_insecure_http", path, false);
  if (!insecure) return insecure.error();
  t.allow_insecure_http = *insecure;
  // A connector that finds the PSA's URL itself (Autotask's zone) takes base_url as an override.
  const bool has_base_url = obj["base_url"].error() == simdjson::SUCCESS;
  if (has_base_url || !spec->discovers_base_url) {
    auto base_url = json::required_string(obj, "base_url", path);
    if (!base_url) return base_url.error();
    auto url = http::parse_url(*base_url);
    if (!url) return field_error(path + ".base_url", "must be an absolute http(s) URL");
    // Credentials travel in headers on every PSA call: plain http would expose them.
    if (url->scheme == "http" && !t.allow_insecure_http) {
      return field_error(path + ".base_url",
                         "http:// would send the tenant's credentials unencrypted; use https:// "
                         "(or set \"allow_insecure_http\": true for a local sandbox)");
    }
    t.base_url = *base_url;
    while (!t.base_url.empty() && t.base_url.back() == '/') t.base_url.pop_back();
  }

  // Credentials: exactly the connector's fields, each resolved.
  const std::string cred_path = path + ".credentials";
  auto creds = json::optional_object(obj, "credentials", path);
  if (!creds) return creds.error();
  if (*creds) {
    for (auto [key, value] : **creds) {
      const std::string field_path = cred_path + "." + std::string(key);
      const bool known = std::ranges::find(spec->required_credentials, key) != spec->required_credentials.end() ||
                         std::ranges::find(spec->optional_credentials, key) != spec->optional_credentials.end();
      if (!known) return field_error(field_path, "not a credential of psa " + t.psa);
      auto secret = tenant_secret(value, field_path, env);
      if (!secret) return secret.error();
      t.credentials.emplace(std::string(key), std::move(*secret));
    }
  }
  for (const auto& required : spec->required_credentials) {
    if (!t.credentials.contains(required)) {
      return field_error(cred_path + "." + required, "required for psa " + t.psa);
    }
  }

  // The old name of the signing secrets is still read, but not together with the new one.
  const bool old_name = obj["webhook_secrets"].error() == simdjson::SUCCESS;
  if (old_name && obj["webhook_signing_secrets"].error() == simdjson::SUCCESS) {
    return field_error(path + ".webhook_secrets", "the old name of webhook_signing_secrets: give only one of them");
  }
  const std::string signing_name = old_name ? "webhook_secrets" : "webhook_signing_secrets";
  t.deprecated_names = old_name;
  if (auto st = read_webhook_secrets(obj, path, signing_name, env, t.webhook_signing_secrets); !st) return st.error();
  if (auto st = read_webhook_secrets(obj, path, "webhook_url_secrets", env, t.webhook_url_secrets); !st) {
    return st.error();
  }
  for (const std::string& secret : t.webhook_url_secrets) {
    // A URL path segment: long enough not to be guessed, and nothing a URL would mangle.
    const bool url_safe = std::all_of(secret.begin(), secret.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    if (secret.size() < 24 || secret.size() > 128 || !url_safe) {
      return field_error(path + ".webhook_url_secrets", "each must be 24-128 characters of A-Z, a-z, 0-9, '-' or '_'");
    }
  }
  using WebhookAuth = ConnectorSpec::WebhookAuth;
  const bool has_signing = !t.webhook_signing_secrets.empty(), has_url = !t.webhook_url_secrets.empty();
  if (spec->webhook_auth == WebhookAuth::Signature && !has_signing) {
    return field_error(path + ".webhook_signing_secrets", "required for psa " + t.psa + " (webhooks are signed)");
  }
  if (spec->webhook_auth == WebhookAuth::UrlSecret && !has_url) {
    return field_error(path + ".webhook_url_secrets", "required for psa " + t.psa + " (its webhooks are not signed)");
  }
  if (spec->webhook_auth == WebhookAuth::SignatureOrUrlSecret && !has_signing && !has_url) {
    return field_error(path + ".webhook_url_secrets",
                       "required for psa " + t.psa + " unless webhook_signing_secrets are configured");
  }

  if (auto st = read_rate_limit(obj, path, *spec, t); !st) return st.error();
  if (auto st = read_poll(obj, path, *spec, t); !st) return st.error();

  auto options = json::optional_object(obj, "options", path);
  if (!options) return options.error();
  if (*options) {
    for (auto [key, value] : **options) {
      const std::string option_path = path + ".options." + std::string(key);
      if (std::ranges::find(spec->options, key) == spec->options.end()) {
        return field_error(option_path, "not an option of psa " + t.psa);
      }
      auto text = json::id_string(value, option_path);  // options are ids or names: string or number
      if (!text) return text.error();
      t.options.emplace(std::string(key), std::move(*text));
    }
  }

  auto mappings = json::optional_object(obj, "mappings", path);
  if (!mappings) return mappings.error();
  if (*mappings) {
    auto parsed = parse_mappings(**mappings, path + ".mappings");
    if (!parsed) return parsed.error();
    t.mappings = std::move(*parsed);
  }

  auto recipes = json::optional_object(obj, "recipes", path);
  if (!recipes) return recipes.error();
  if (*recipes) {
    auto parsed = parse_recipe_settings(**recipes, path + ".recipes");
    if (!parsed) return parsed.error();
    t.recipes = std::move(*parsed);
  }
  auto zone = json::optional_string(obj, "billing_timezone", path);
  if (!zone) return zone.error();
  if (*zone) {
    if (!usage::check_time_zone(**zone)) {
      return field_error(path + ".billing_timezone", "unknown time zone \"" + **zone + "\" (an IANA name such as Europe/Berlin)");
    }
    t.billing_timezone = **zone;
  }

  simdjson::dom::element policies;
  if (obj["sync_policies"].get(policies) == simdjson::SUCCESS) {
    auto parsed = parse_sync_policies(policies, path + ".sync_policies");
    if (!parsed) return parsed.error();
    t.sync_policies = *parsed;
  }
  return t;
}

void wipe(std::string& secret) { OPENSSL_cleanse(secret.data(), secret.size()); }

Result<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("invalid_tenant_config", "cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return make_error("invalid_tenant_config", "cannot be read");
  return buffer.str();
}

// A directory of <id>.json files, one tenant object each, in file-name order.
Result<TenantDirectory> read_tenant_dir(const std::filesystem::path& dir, const ConnectorSpecLookup& specs,
                                        const Env& env) {
  TenantDirectory directory;
  auto files = tenant_files(dir);
  if (!files) return files.error();
  simdjson::dom::parser parser;
  for (const auto& file : *files) {
    const std::string name = file.filename().string();
    auto text = read_text(file);
    if (!text) return make_error("invalid_tenant_config", name + ": " + text.error().message);
    element root;
    if (auto err = parser.parse(text->data(), text->size()).get(root); err) {
      return make_error("invalid_tenant_config", name + ": not valid JSON: " + simdjson::error_message(err));
    }
    object obj;
    if (root.get(obj) != simdjson::SUCCESS) return field_error(name, "must be one tenant object");
    auto tenant = parse_tenant(obj, name, specs, env);
    if (!tenant) return tenant.error();
    // The file name is the id: two files can never claim one tenant.
    if (name != tenant->id + ".json") return field_error(name + ".id", "must match the file name (" + tenant->id + ".json)");
    if (auto st = directory.add(std::move(*tenant), name); !st) return st.error();
  }
  return directory;
}

}  // namespace

void warn_about(const Tenant& t) {
  if (t.allow_insecure_http) {
    log::warn("tenant allows insecure http: its PSA credentials may be sent unencrypted",
              {{"tenant", t.id}, {"psa", t.psa}});
  }
  if (t.deprecated_names) {
    log::warn("tenant uses webhook_secrets, the old name of webhook_signing_secrets: rename it", {{"tenant", t.id}});
  }
  for (const std::string& entity : t.unseen_entities) {
    log::warn("no webhook reports this entity and the tenant does not poll it: its changes go unseen "
              "(add it to poll.entities)",
              {{"tenant", t.id}, {"psa", t.psa}, {"entity", entity}});
  }
}

TenantDirectory::~TenantDirectory() {
  for (Tenant& t : tenants_) {
    for (auto& [name, value] : t.credentials) wipe(value);
    for (std::string& secret : t.webhook_signing_secrets) wipe(secret);
    for (std::string& secret : t.webhook_url_secrets) wipe(secret);
  }
}

const Tenant* TenantDirectory::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &tenants_[it->second];
}

Status TenantDirectory::add(Tenant tenant, const std::string& path) {
  if (index_.contains(tenant.id)) return field_error(path + ".id", "duplicate tenant id \"" + tenant.id + "\"");
  index_.emplace(tenant.id, tenants_.size());
  tenants_.push_back(std::move(tenant));
  return ok_status();
}

Result<TenantDirectory> parse_tenants(std::string_view json_text, const ConnectorSpecLookup& specs, const Env& env) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json_text.data(), json_text.size()).get(root); err) {
    return make_error("invalid_tenant_config", std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  object top;
  if (root.get(top) != simdjson::SUCCESS) return field_error("(root)", "must be an object with \"tenants\"");
  simdjson::dom::array list;
  if (top["tenants"].get(list) != simdjson::SUCCESS) return field_error("tenants", "required array");

  TenantDirectory directory;
  size_t i = 0;
  for (element item : list) {
    const std::string path = "tenants[" + std::to_string(i++) + "]";
    object obj;
    if (item.get(obj) != simdjson::SUCCESS) return field_error(path, "must be an object");
    auto tenant = parse_tenant(obj, path, specs, env);
    if (!tenant) return tenant.error();
    if (auto st = directory.add(std::move(*tenant), path); !st) return st.error();
  }
  return directory;
}

Result<std::vector<std::filesystem::path>> tenant_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with('.') || !name.ends_with(".json")) continue;
    std::error_code kind;
    if (!std::filesystem::is_regular_file(entry.path(), kind)) continue;  // follows the ..data symlinks
    files.push_back(entry.path());
  }
  if (ec) return make_error("invalid_tenant_config", "cannot be listed: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<TenantDirectory> read_tenants(const std::string& path, const ConnectorSpecLookup& specs, const Env& env) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return read_tenant_dir(path, specs, env);
  auto text = read_text(path);
  if (!text) return text.error();
  return parse_tenants(*text, specs, env);
}

TenantDirectory load_tenants_file(const std::string& path, const ConnectorSpecLookup& specs, const Env& env) {
  auto directory = read_tenants(path, specs, env);
  if (!directory) throw ConfigError("tenants " + path + ": " + directory.error().message);
  for (const Tenant& t : directory->all()) warn_about(t);
  return std::move(directory).value();
}

}  // namespace switchyard
