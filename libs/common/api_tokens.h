// API tokens: who may call Switchyard's HTTP API, for which tenants and with which scopes.
// One file (SWITCHYARD_API_TOKENS_FILE) for every service that serves an authenticated
// endpoint (ingest's commands today; read, sync, replay and admin endpoints later):
//
//   {"tokens": [{"id": "vendor-platform", "token": {"file": "/var/run/secrets/switchyard/api/vendor"},
//                "tenants": ["*"], "scopes": ["commands"]},
//               {"id": "acme-portal", "token": {"env": "ACME_PORTAL_TOKEN"},
//                "tenants": ["acme"], "scopes": ["commands", "read"]}]}
//
// "token" is a secret reference as in the tenants file. "*" (every tenant) must be written
// explicitly. Validation is strict and errors name the entry and field, never a token.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/result.h"

namespace switchyard {

inline constexpr size_t kMinApiTokenLength = 16;

enum class ApiScope { Commands, Read, Sync, Replay, Admin };
std::string_view scope_name(ApiScope scope);
std::optional<ApiScope> scope_from_name(std::string_view name);

struct ApiToken {
  std::string id;                    // logged with every request the token makes
  bool all_tenants = false;          // "tenants": ["*"]
  std::vector<std::string> tenants;  // when not all_tenants
  std::vector<ApiScope> scopes;
  // SHA-256 of the token: what is kept and compared, so neither the comparison's time nor a
  // memory dump depends on the token's length or reveals it directly.
  std::string digest;

  bool allows_tenant(std::string_view tenant) const;
  bool has_scope(ApiScope scope) const;
};

class ApiTokens {
 public:
  // The entry whose token is `presented`, compared in constant time with every entry (no
  // early exit); nullptr when none matches.
  const ApiToken* find(std::string_view presented) const;
  const std::vector<ApiToken>& all() const { return tokens_; }
  bool empty() const { return tokens_.empty(); }

 private:
  friend Result<ApiTokens> parse_api_tokens(std::string_view json, const Env& env);
  std::vector<ApiToken> tokens_;
};

Result<ApiTokens> parse_api_tokens(std::string_view json, const Env& env);
// Reads and parses the file; throws ConfigError naming SWITCHYARD_API_TOKENS_FILE, the path,
// the entry and the field.
ApiTokens load_api_tokens_file(const std::string& path, const Env& env);

}  // namespace switchyard
