#include "psa-sandbox/faults.h"

#include "psa-sandbox/psa_errors.h"

namespace switchyard::sandbox {

void Faults::inject(std::string_view psa, Fault fault) {
  if (fault.count <= 0) {
    pending_.erase(std::string(psa));
    return;
  }
  pending_.insert_or_assign(std::string(psa), fault);
}

std::optional<Fault> Faults::take(std::string_view psa) {
  const auto it = pending_.find(psa);
  if (it == pending_.end()) return std::nullopt;
  Fault fault = it->second;
  if (--it->second.count <= 0) pending_.erase(it);
  return fault;
}

http::Response fault_response(std::string_view psa, const Fault& fault) {
  const bool throttled = fault.status == 429;
  const std::string message = throttled ? "Too many requests, retry later (sandbox fault)"
                                        : "Injected failure (sandbox fault)";
  http::Response response;
  if (psa == "connectwise") {
    // CW documents 429 + Retry-After (facts 1.4); the body code is our best guess.
    response = cw_error(fault.status, throttled ? "TooManyRequests" : "InternalServerError", message);
  } else {
    response = at_error(fault.status, message);
  }
  if (fault.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_seconds));
  }
  return response;
}

}  // namespace switchyard::sandbox
