// Tenant middleware: what makes one sandbox port behave like many PSA instances, each with its
// own quota, and like a PSA far away. PSA-agnostic, like the fault middleware
// (fault_middleware.h): a PSA contributes only its FaultShape (its 429 body, and the requests
// quotas never count), so a new or moved PSA gets tenants, quotas and latency by being wrapped.
//
//   with_tenant_prefix  /tenants/<name>/<psa>/... is served as /<psa>/... for tenant <name>:
//                       the prefix is stripped from path and target, the tenant is left in
//                       Request::params[kTenantParam], and tenant_path() gives the prefix back
//                       for the URLs a PSA hands out (nextPageUrl, Link, zone URL), so paging
//                       stays within the tenant. Requests without it are tenant "default".
//   with_tenant_limits  the tenant's quota (429 + Retry-After in the PSA's body, nothing
//                       processed), then the latency: the request waits on a timer (HeldAnswers),
//                       not on an io thread, before the PSA handles it.
#pragma once

#include <string>
#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/fault_middleware.h"
#include "psa-sandbox/held_answers.h"
#include "psa-sandbox/tenant_limits.h"

namespace switchyard::sandbox {

// The tenant a (prefix-stripped) request belongs to: its /tenants/<name>/ or "default".
std::string_view tenant_of(const http::Request& request);
// "/tenants/<name>" for a request that came with the prefix, "" otherwise.
std::string tenant_path(const http::Request& request);

// Wraps a route registered as "/tenants/{tenant}/<psa>/{rest...}" (and, unchanged, the
// unprefixed "/<psa>/{rest...}"). A bad tenant name gets 404, a tenant past kMaxTenants 503,
// both in the sandbox's own error format.
http::Handler with_tenant_prefix(TenantLimits& limits, http::Handler inner);

// Registers `psa` with `limits` and returns `inner` behind the tenant's quota and the latency.
// A refused answer is marked kFaultHeader "quota" and is delayed like any other.
http::Handler with_tenant_limits(TenantLimits& limits, HeldAnswers& delays, std::string psa, FaultShape shape,
                                 http::Handler inner);

}  // namespace switchyard::sandbox
