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

}  // namespace switchyard::testing
