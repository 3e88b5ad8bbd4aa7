// Every Redis key Switchyard writes, classified once: whose it is (one tenant's, or global) and
// under which family it is reported. Offboarding (docs/runbooks.md#offboarding-a-tenant) deletes
// a tenant's keys from this list and nothing else, and tests/unit/common_tenant_keys_test.cpp
// scans the source tree for "sy:" literals so a new key cannot be written without being
// classified here. Keys are read and written where they always were; this file only names them.
//
// A template names a key with "<t>" where the tenant id stands and a trailing "*" for "anything
// after this". Tenant ids are 1-64 of [a-z0-9_-] (common/tenant_ids.h): none of the delimiters
// around "<t>" (':', '{', '}', '/', ' ') can be part of an id, so "acme" never matches "acme2".
// A member template names the members of a global sorted set that belong to one tenant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::tenant_keys {

struct KeyTemplate {
  std::string_view key;     // "sy:poll:<t>:*"; for a member template, the global key itself
  std::string_view member;  // "" for a key template; "<t>/*" for the members of `key`
};

struct KeyFamily {
  std::string_view name;  // what offboarding's report calls it: "watermarks", "executed_commands"
  std::string_view what;  // one line for the docs and the report
  bool per_tenant = true;
  std::vector<KeyTemplate> templates;
};

// Every family, per-tenant ones first (their order is the report's).
const std::vector<KeyFamily>& families();

// Literals starting with "sy:" that are not the start of a key family: building blocks that
// code appends a family's name to ("sy:poll-" + "delta:"), and values that are not Redis keys
// at all (the reference Switchyard writes into Autotask fields). Each with why.
struct OtherLiteral {
  std::string_view text;
  std::string_view why;
};
const std::vector<OtherLiteral>& other_literals();

// `text` with Redis glob characters (* ? [ ] \) escaped.
std::string glob_escape(std::string_view text);

// The SCAN MATCH pattern of a template for `tenant` (glob-escaped), or for a member template
// the ZSCAN MATCH pattern of its members. `exact` is set when the template has no "*": the
// result is then the key (or member) itself, to delete without scanning.
std::string pattern(std::string_view key_or_member_template, std::string_view tenant, bool* exact = nullptr);

// Who owns `key`: its family and tenant ("" for a global family), or nullopt for a key no
// family names (a key that offboarding would miss).
struct Owner {
  std::string_view family;
  std::string tenant;
};
std::optional<Owner> owner_of(std::string_view key);

// The same for a member of a global sorted set with member templates.
std::optional<Owner> owner_of_member(std::string_view key, std::string_view member);

// True when a "sy:" literal found in the source is covered: it starts with a family's fixed
// part ("sy:poll:"), is a prefix of one (a building block such as "sy:auth:"), or is one of
// other_literals().
bool literal_is_classified(std::string_view literal);

}  // namespace switchyard::tenant_keys
