// The body of POST /v1/tenants/{tenant}/erasure (ingest/erasure_handler.h):
//   {"contact_id": "<the PSA's contact id>", "email": "<the person's e-mail>"}
// At least one of the two. contact_id: 1-64 of A-Z a-z 0-9 '-' '_' '.' (or a non-negative
// integer); email: at most 254 characters, one '@' with 1-64 before it and a domain of 1-253
// after it with a dot, no spaces, quotes, backslashes or control characters. The email is kept
// lower-cased and trimmed. Error messages never repeat the email (it is personal data).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard::ingest {

inline constexpr size_t kMaxErasureBody = 4096;

struct ErasureSubject {
  std::string contact_id;  // "" when only the email is given
  std::string email;       // lower-cased; "" when only the contact id is given
};

// Errors "invalid_request" naming the field.
Result<ErasureSubject> parse_erasure_request(std::string_view body);
bool valid_contact_id(std::string_view id);
bool valid_email(std::string_view email);

}  // namespace switchyard::ingest
