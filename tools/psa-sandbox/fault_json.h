// The control API's JSON form of faults (POST/GET /_sandbox/faults, docs/psa-sandbox.md):
//   {"kind":"status"|"timeout"|"drop", "status", "retry_after_seconds", "count", "duration_ms",
//    "probability", "hold_ms", "process", "cut":"before"|"headers"|"body", "body", "seed",
//    "method", "path"}
// Every member is optional; without "kind" it is the original status fault.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// Error code "invalid_fault" naming the member.
Result<Fault> fault_from_json(std::string_view json);

// {"pending":[{"psa":..., <fault>}, ...], "applied":{"autotask/drop":3, ...}}
std::string faults_to_json(const std::vector<std::pair<std::string, Fault>>& pending,
                           const std::map<std::string, int64_t>& applied);

}  // namespace switchyard::sandbox
