// Autotask's error body, {"errors":["..."]} (docs/psa/autotask.md), so connectors are tested against what
// the real API sends rather than against the sandbox's own {"error":{...}} format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http_types.h"

namespace switchyard::sandbox {

http::Response at_error(int status, const std::vector<std::string>& messages);
http::Response at_error(int status, std::string_view message);

}  // namespace switchyard::sandbox
