#include "psa-sandbox/auth/key_headers_auth.h"

#include "psa-sandbox/json_value.h"
#include "psa-sandbox/signing.h"

namespace switchyard::sandbox {

std::optional<AuthDenied> KeyHeadersAuth::check(const http::Request& request) const {
  for (const Header& h : headers_) {
    const std::string_view given = request.header(h.name);
    const bool ok = h.case_insensitive ? iequals(given, h.expected) : secure_equals(given, h.expected);
    if (!ok) return h.when_wrong;
  }
  return std::nullopt;
}

}  // namespace switchyard::sandbox
