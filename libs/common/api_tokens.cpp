#include "common/api_tokens.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "common/crypto.h"
#include "common/json_read.h"
#include "common/secret_ref.h"
#include "common/tenant_ids.h"

namespace switchyard {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::array<std::pair<ApiScope, std::string_view>, 5> kScopes{{{ApiScope::Commands, "commands"},
                                                                        {ApiScope::Read, "read"},
                                                                        {ApiScope::Sync, "sync"},
                                                                        {ApiScope::Replay, "replay"},
                                                                        {ApiScope::Admin, "admin"}}};

Error token_error(const std::string& path, const std::string& message) {
  return make_error("invalid_api_tokens", path + ": " + message);
}

bool valid_token_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

// A non-empty array of strings, duplicates refused.
Result<std::vector<std::string>> string_list(object entry, std::string_view key, const std::string& path) {
  const std::string field = path + "." + std::string(key);
  array list;
  if (auto err = entry[key].get(list); err == simdjson::NO_SUCH_FIELD) return token_error(field, "required");
  else if (err) return token_error(field, "must be an array of strings");
  std::vector<std::string> out;
  size_t i = 0;
  for (element item : list) {
    const std::string item_path = field + "[" + std::to_string(i++) + "]";
    std::string_view text;
    if (item.get(text) != simdjson::SUCCESS) return token_error(item_path, "must be a string");
    if (std::ranges::find(out, text) != out.end()) return token_error(item_path, "duplicate \"" + std::string(text) + "\"");
    out.emplace_back(text);
  }
  if (out.empty()) return token_error(field, "must not be empty");
  return out;
}

Result<ApiToken> parse_entry(object entry, const std::string& index_path, const Env& env) {
  ApiToken t;
  std::string_view id;
  if (auto err = entry["id"].get(id); err == simdjson::NO_SUCH_FIELD) return token_error(index_path + ".id", "required");
  else if (err || !valid_token_id(id)) {
    return token_error(index_path + ".id", "must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' or '.'");
  }
  t.id = std::string(id);
  // From here on the entry is named by its id too: easier to find in a long file.
  const std::string path = index_path + " (id \"" + t.id + "\")";

  static const std::set<std::string_view> kKnown = {"id", "token", "tenants", "scopes"};
  for (auto [key, value] : entry) {
    (void)value;
    if (!kKnown.contains(key)) return token_error(path + "." + std::string(key), "unknown field");
  }

  element token_value;
  if (entry["token"].get(token_value) != simdjson::SUCCESS) return token_error(path + ".token", "required");
  auto token = resolve_secret(token_value, path + ".token", env);
  if (!token) return make_error("invalid_api_tokens", token.error().message);
  if (token->size() < kMinApiTokenLength) {
    return token_error(path + ".token", "shorter than " + std::to_string(kMinApiTokenLength) + " characters");
  }
  t.digest = crypto::sha256(*token);

  auto tenants = string_list(entry, "tenants", path);
  if (!tenants) return tenants.error();
  for (size_t i = 0; i < tenants->size(); ++i) {
    const std::string& tenant = (*tenants)[i];
    const std::string item_path = path + ".tenants[" + std::to_string(i) + "]";
    if (tenant == "*") {
      if (tenants->size() > 1) return token_error(item_path, "\"*\" (every tenant) must be the only entry");
      t.all_tenants = true;
    } else if (!valid_tenant_id(tenant)) {
      return token_error(item_path, "must be a tenant id (1-64 characters of a-z, 0-9, '-' or '_') or \"*\"");
    }
  }
  if (!t.all_tenants) t.tenants = std::move(*tenants);

  auto scopes = string_list(entry, "scopes", path);
  if (!scopes) return scopes.error();
  for (size_t i = 0; i < scopes->size(); ++i) {
    auto scope = scope_from_name((*scopes)[i]);
    if (!scope) {
      return token_error(path + ".scopes[" + std::to_string(i) + "]",
                         "unknown scope \"" + (*scopes)[i] + "\" (commands, read, sync, replay, admin)");
    }
    t.scopes.push_back(*scope);
  }
  return t;
}

}  // namespace

std::string_view scope_name(ApiScope scope) {
  for (const auto& [s, name] : kScopes) {
    if (s == scope) return name;
  }
  return "unknown";
}

std::optional<ApiScope> scope_from_name(std::string_view name) {
  for (const auto& [s, n] : kScopes) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool ApiToken::allows_tenant(std::string_view tenant) const {
  return all_tenants || std::ranges::find(tenants, tenant) != tenants.end();
}

bool ApiToken::has_scope(ApiScope scope) const { return std::ranges::find(scopes, scope) != scopes.end(); }

const ApiToken* ApiTokens::find(std::string_view presented) const {
  const std::string digest = crypto::sha256(presented);
  const ApiToken* found = nullptr;
  for (const ApiToken& t : tokens_) {
    // Every entry is compared, so the time does not tell which entry (if any) matched.
    if (crypto::constant_time_equal(digest, t.digest)) found = &t;
  }
  return found;
}

Result<ApiTokens> parse_api_tokens(std::string_view json_text, const Env& env) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json_text.data(), json_text.size()).get(root); err) {
    // simdjson's message never quotes the input, so no token can leak through it.
    return make_error("invalid_api_tokens", std::string("not valid JSON (") + simdjson::error_message(err) +
                                                "); the file is a JSON object {\"tokens\": [...]}, see docs/configuration.md");
  }
  object top;
  if (root.get(top) != simdjson::SUCCESS) return token_error("(root)", "must be an object with \"tokens\"");
  for (auto [key, value] : top) {
    (void)value;
    if (key != "tokens") return token_error(std::string(key), "unknown field");
  }
  array list;
  if (top["tokens"].get(list) != simdjson::SUCCESS) return token_error("tokens", "required array");

  ApiTokens out;
  size_t i = 0;
  for (element item : list) {
    const std::string path = "tokens[" + std::to_string(i++) + "]";
    object entry;
    if (item.get(entry) != simdjson::SUCCESS) return token_error(path, "must be an object");
    auto token = parse_entry(entry, path, env);
    if (!token) return token.error();
    for (size_t j = 0; j < out.tokens_.size(); ++j) {
      const ApiToken& other = out.tokens_[j];
      const std::string named = path + " (id \"" + token->id + "\")";
      const std::string other_path = "tokens[" + std::to_string(j) + "] (id \"" + other.id + "\")";
      if (other.id == token->id) return token_error(named + ".id", "duplicate id, also in " + other_path);
      // One token, two entries: which id to log (and which rights apply) would be ambiguous.
      if (other.digest == token->digest) return token_error(named + ".token", "same token as " + other_path);
    }
    out.tokens_.push_back(std::move(*token));
  }
  if (out.tokens_.empty()) return token_error("tokens", "must not be empty (unset the variable to close the API)");
  return out;
}

ApiTokens load_api_tokens_file(const std::string& path, const Env& env) {
  std::ifstream in(path);
  if (!in) throw ConfigError("SWITCHYARD_API_TOKENS_FILE " + path + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto tokens = parse_api_tokens(buffer.str(), env);
  if (!tokens) throw ConfigError("SWITCHYARD_API_TOKENS_FILE " + path + ": " + tokens.error().message);
  return std::move(tokens).value();
}

}  // namespace switchyard
