// ConnectWise's error body (docs/psa/connectwise.md), so connectors are tested against what the real API
// sends rather than against the sandbox's own {"error":{...}} format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http_types.h"

namespace switchyard::sandbox {

// One entry of ConnectWise's "errors" array.
struct CwFieldError {
  std::string code;  // "MissingRequiredField", "MaxLengthField", "InvalidField"
  std::string message;
  std::string resource;  // "ticket"
  std::string field;     // "summary"
};

// {"code":"InvalidObject","message":"...","errors":[...]} (errors omitted when empty).
http::Response cw_error(int status, std::string_view code, std::string_view message,
                        const std::vector<CwFieldError>& errors = {});

}  // namespace switchyard::sandbox
