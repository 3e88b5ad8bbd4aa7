// Small text helpers shared by connectors and services.
#pragma once

#include <string>
#include <string_view>

namespace switchyard {

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8 character in
// half (PSA field limits and log/dead-letter details are bounded in bytes).
std::string utf8_prefix(std::string_view s, size_t max_bytes);

}  // namespace switchyard
