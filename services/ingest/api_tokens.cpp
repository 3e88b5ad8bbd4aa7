#include "ingest/api_tokens.h"

#include <fstream>

#include "common/env.h"

namespace switchyard::ingest {

std::vector<std::string> load_api_tokens(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("SWITCHYARD_API_TOKENS_FILE: cannot read " + path);
  std::vector<std::string> tokens;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line.erase(0, first);
    if (line.size() < kMinApiTokenLength) {
      throw ConfigError("SWITCHYARD_API_TOKENS_FILE: the token on line " + std::to_string(number) + " of " + path +
                        " is shorter than " + std::to_string(kMinApiTokenLength) + " characters");
    }
    tokens.push_back(line);
  }
  if (tokens.empty()) throw ConfigError("SWITCHYARD_API_TOKENS_FILE: " + path + " holds no token");
  return tokens;
}

}  // namespace switchyard::ingest
