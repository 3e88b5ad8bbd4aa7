// Small text helpers shared by connectors and services.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 character in
// half (PSA field limits and log/dead-letter details are bounded in bytes).
std::string utf8_prefix(std::string_view s, size_t max_bytes);

// Characters (code points) of valid UTF-8, for limits counted in characters, not bytes.
size_t utf8_length(std::string_view s);

// Text that came from outside (a decoded path, a tenant id from a URL) may be any bytes, but
// JSON — error bodies, log lines — must be UTF-8: valid_utf8 turns each invalid byte into U+FFFD
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);
std::string valid_utf8(std::string_view s);

// `s` with A-Z in lower case (names of headers, parameters and PSA values compared
// case-insensitively; other bytes, UTF-8 included, are kept).
std::string ascii_lowercase(std::string_view s);

// The value of one hex digit, -1 when `c` is not one.
int hex_digit_value(char c);

// Percent-decoding (RFC 3986), the one decoder for URLs, paths and query strings.
// Lenient: a malformed escape ("%zz", a trailing '%') is kept literally, as most servers do;
// `plus_is_space` for query strings (application/x-www-form-urlencoded).
std::string percent_decode(std::string_view s, bool plus_is_space = false);
// Strict, for credentials in a connection URL: a malformed escape is an error (nullopt), as a
// silently mangled password would only fail later, and less clearly.
std::optional<std::string> percent_decode_strict(std::string_view s);

}  // namespace switchyard
