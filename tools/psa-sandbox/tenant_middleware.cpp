#include "psa-sandbox/tenant_middleware.h"

#include <memory>
#include <optional>

#include "psa-sandbox/faults.h"

namespace switchyard::sandbox {
namespace {

// "/tenants/<name>/rest" → "/rest", on the raw target or the decoded path alike (the name has
// no '/' once validated, and a raw name that decodes to one is refused before this).
std::string strip_two_segments(std::string_view text) {
  size_t slash = text.find('/', 1);  // after "/tenants"
  if (slash == std::string_view::npos) return "/";
  slash = text.find('/', slash + 1);  // after "/<name>"
  if (slash == std::string_view::npos) return "/";
  return std::string(text.substr(slash));
}

}  // namespace

std::string_view tenant_of(const http::Request& request) {
  const auto it = request.params.find(std::string(kTenantParam));
  return it == request.params.end() ? kDefaultTenant : std::string_view(it->second);
}

std::string tenant_path(const http::Request& request) {
  const auto it = request.params.find(std::string(kTenantParam));
  return it == request.params.end() ? std::string() : "/tenants/" + it->second;
}

http::Handler with_tenant_prefix(TenantLimits& limits, http::Handler inner) {
  return [&limits, inner = std::move(inner)](http::Request&& request, http::Responder respond) {
    const auto it = request.params.find(std::string(kTenantParam));
    if (it == request.params.end()) return inner(std::move(request), std::move(respond));
    const std::string& name = it->second;
    if (!valid_tenant_name(name)) {
      return respond(http::error_response(404, "unknown_tenant",
                                          "sandbox tenant names are 1-64 of A-Z a-z 0-9 . _ -"));
    }
    if (!limits.admit_tenant(name)) {
      return respond(http::error_response(503, "too_many_tenants",
                                          "the sandbox serves at most " + std::to_string(kMaxTenants) + " tenants"));
    }
    request.path = strip_two_segments(request.path);
    request.target = strip_two_segments(request.target);
    inner(std::move(request), std::move(respond));
  };
}

http::Handler with_tenant_limits(TenantLimits& limits, HeldAnswers& delays, std::string psa, FaultShape shape,
                                 http::Handler inner) {
  limits.register_psa(psa);
  // Shared with the delayed calls, which may run after this handler was copied or dropped.
  auto next = std::make_shared<const http::Handler>(std::move(inner));
  return [&limits, &delays, psa = std::move(psa), shape = std::move(shape), next = std::move(next)](
             http::Request&& request, http::Responder respond) {
    const std::string tenant(tenant_of(request));
    const bool counted = !(shape.exempt && shape.exempt(request));
    std::optional<http::Response> refused;
    if (counted) {
      if (const auto retry_after = limits.take(tenant)) {
        refused = shape.error(429, "Too many requests: the API request quota of this instance is used up (sandbox quota)");
        refused->headers.emplace_back("Retry-After", std::to_string(*retry_after));
        refused->headers.emplace_back(std::string(kFaultHeader), "quota");
      }
    }
    const auto delay = limits.delay(psa, tenant) + (counted ? limits.budget_delay(tenant) : std::chrono::milliseconds(0));
    if (delay.count() <= 0) {
      if (refused) return respond(std::move(*refused));
      return (*next)(std::move(request), std::move(respond));
    }
    if (refused) {
      delays.after(delay, [respond = std::move(respond), response = std::move(*refused)]() mutable {
        respond(std::move(response));
      });
      return;
    }
    // The PSA handles the request only after the delay: what it stores carries the time it
    // would have on a PSA that far away (e.g. Autotask's createDate).
    delays.after(delay, [next, request = std::move(request), respond = std::move(respond)]() mutable {
      (*next)(std::move(request), std::move(respond));
    });
  };
}

}  // namespace switchyard::sandbox
