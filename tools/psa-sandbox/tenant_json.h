// The control API's JSON form of latency and quotas (docs/psa-sandbox.md):
//   latency  {"latency_ms", "jitter_ms", "psa", "tenant", "seed"}
//   quota    {"requests_per_second", "burst", "requests_per_hour", "retry_after_seconds", "exhausted"}
// Every member is optional (missing = 0 / empty / false); unknown members are refused, so a
// typo cannot silently leave a tenant unlimited. Ranges are checked by TenantLimits.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::sandbox {

// Error codes "invalid_json", "invalid_latency" / "invalid_quota" naming the member.
Result<Latency> latency_from_json(std::string_view json);
Result<Quota> quota_from_json(std::string_view json);

std::string latency_to_json(const Latency& latency);
// {"quotas":{"*":{...},"t1":{...}},"tenants":{"t1":{"requests":N,"throttled":M}},
//  "requests":N,"throttled":M}
std::string quotas_to_json(const std::map<std::string, Quota>& quotas,
                           const std::map<std::string, TenantCounts>& counts);

}  // namespace switchyard::sandbox
