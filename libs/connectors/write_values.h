// Small pieces every connector's writers use: a tenant option with a fallback, and whether a
// command's id is a PSA's numeric id (sent as a JSON number) or something else.
#pragma once

#include <string>
#include <string_view>

#include "common/tenants.h"

namespace switchyard::connectors {

// The tenant's option `name` (tenants file "options"), else `fallback`.
inline std::string option_or(const Tenant& t, const std::string& name, std::string fallback = {}) {
  auto it = t.options.find(name);
  return it == t.options.end() ? std::move(fallback) : it->second;
}

// All digits and short enough for an int64: sent to the PSA as a number.
inline bool is_numeric_id(std::string_view id) {
  return !id.empty() && id.find_first_not_of("0123456789") == std::string_view::npos && id.size() < 18;
}

}  // namespace switchyard::connectors
