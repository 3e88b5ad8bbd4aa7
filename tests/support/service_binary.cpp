#include "support/service_binary.h"

#include <fstream>
#include <sstream>

namespace switchyard::testing {

std::string service_binary(const std::string& service) {
  return std::string(SWITCHYARD_BINARY_DIR) + "/services/" + service + "/switchyard-" + service;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> test_listeners(uint16_t operator_port) {
  return {{"SWITCHYARD_OPERATOR_LISTEN", "127.0.0.1:" + std::to_string(operator_port)},
          {"SWITCHYARD_WEBHOOK_LISTEN", "127.0.0.1:0"},
          {"SWITCHYARD_API_LISTEN", "127.0.0.1:0"}};
}

uint16_t logged_port(const std::string& log_path, const std::string& field) {
  std::istringstream log(read_file(log_path));
  const std::string key = "\"" + field + "\":";
  for (std::string line; std::getline(log, line);) {
    if (line.find(" started\"") == std::string::npos) continue;
    const auto at = line.find(key);
    if (at == std::string::npos) continue;
    return static_cast<uint16_t>(std::stoul(line.substr(at + key.size())));
  }
  return 0;
}

}  // namespace switchyard::testing
