// API tokens for the commands endpoint, read from a file (a mounted Secret): one token per
// line, '#' comments and blank lines ignored. Several lines allow a rotation to overlap.
#pragma once

#include <string>
#include <vector>

namespace switchyard::ingest {

inline constexpr size_t kMinApiTokenLength = 16;

// Throws ConfigError naming the file (never a token) when it cannot be read, holds no token,
// or a token is shorter than kMinApiTokenLength.
std::vector<std::string> load_api_tokens(const std::string& path);

}  // namespace switchyard::ingest
