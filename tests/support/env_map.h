// An Env over a fixed map instead of the process environment, so a test sets exactly the
// variables it means to (and secrets never touch the real environment).
#pragma once

#include <map>
#include <string>

#include "common/env.h"

namespace switchyard::testing {

inline Env env_of(std::map<std::string, std::string> vars) {
  return Env([vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace switchyard::testing
