#include "psa-sandbox/fault_middleware.h"

#include <memory>

#include "psa-sandbox/tenant_middleware.h"

namespace switchyard::sandbox {
namespace {

http::Response& marked(http::Response& response, const Fault& fault) {
  std::string value(kind_name(fault.kind));
  if (fault.kind == FaultKind::drop) value += "; cut=" + std::string(cut_name(fault.cut));
  response.headers.emplace_back(std::string(kFaultHeader), std::move(value));
  return response;
}

http::Response status_answer(const FaultShape& shape, const Fault& fault) {
  const bool throttled = fault.status == 429;
  http::Response response = shape.error(
      fault.status, throttled ? "Too many requests, retry later (sandbox fault)" : "Injected failure (sandbox fault)");
  if (fault.body) {
    response.body = *fault.body;
    if (fault.body->empty()) response.content_type.clear();
  }
  if (fault.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_seconds));
  }
  return response;
}

}  // namespace

http::Handler with_faults(Faults& faults, HeldAnswers& held, std::string psa, FaultShape shape, http::Handler inner) {
  faults.register_psa(psa);
  return [&faults, &held, psa = std::move(psa), shape = std::move(shape), inner = std::move(inner)](
             http::Request&& request, http::Responder respond) {
    if (shape.exempt && shape.exempt(request)) return inner(std::move(request), std::move(respond));
    const auto fault = faults.take(psa, tenant_of(request), request.method, request.path);
    if (!fault) return inner(std::move(request), std::move(respond));

    switch (fault->kind) {
      case FaultKind::status: {
        http::Response response = status_answer(shape, *fault);
        return respond(std::move(marked(response, *fault)));
      }
      case FaultKind::timeout: {
        if (!fault->process) {
          http::Response response = shape.error(504, "The request timed out (sandbox fault)");
          held.after(fault->hold,
                     [respond = std::move(respond), response = std::move(marked(response, *fault))]() mutable {
                       respond(std::move(response));
                     });
          return;
        }
        // Processed now, answered late: the PSA did the work, the client stops waiting.
        return inner(std::move(request),
                     [&held, fault = *fault, respond = std::move(respond)](http::Response response) {
                       held.after(fault.hold, [respond, response = std::move(marked(response, fault))]() mutable {
                         respond(std::move(response));
                       });
                     });
      }
      case FaultKind::drop: {
        if (!fault->process) {
          http::Response response = shape.error(502, "The connection was dropped (sandbox fault)");
          return respond(std::move(marked(response, *fault)));
        }
        return inner(std::move(request), [fault = *fault, respond = std::move(respond)](http::Response response) {
          respond(std::move(marked(response, fault)));
        });
      }
    }
    inner(std::move(request), std::move(respond));
  };
}

}  // namespace switchyard::sandbox
