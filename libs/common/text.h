// Small text helpers shared by connectors and services.
#pragma once

#include <string>
#include <string_view>

namespace switchyard {

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 character in
// half (PSA field limits and log/dead-letter details are bounded in bytes).
std::string utf8_prefix(std::string_view s, size_t max_bytes);

// Text that came from outside (a decoded path, a tenant id from a URL) may be any bytes, but
// JSON — error bodies, log lines — must be UTF-8: valid_utf8 turns each invalid byte into U+FFFD
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);
std::string valid_utf8(std::string_view s);

}  // namespace switchyard
