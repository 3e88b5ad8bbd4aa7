#include "common/tenant_ids.h"

#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "common/env.h"

namespace switchyard {

Result<std::set<std::string, std::less<>>> parse_tenant_ids(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "not valid JSON");
  }
  simdjson::dom::array tenants;
  if (root["tenants"].get(tenants) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "tenants: required, a list");
  }
  std::set<std::string, std::less<>> ids;
  size_t index = 0;
  for (simdjson::dom::element t : tenants) {
    std::string_view id;
    if (t["id"].get(id) != simdjson::SUCCESS || id.empty()) {
      return make_error("invalid_tenants", "tenants[" + std::to_string(index) + "].id: required, a string");
    }
    ids.emplace(id);
    ++index;
  }
  return ids;
}

std::set<std::string, std::less<>> load_tenant_ids(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("SWITCHYARD_TENANTS_FILE: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto ids = parse_tenant_ids(text.str());
  if (!ids) throw ConfigError("SWITCHYARD_TENANTS_FILE " + path + ": " + ids.error().message);
  return std::move(*ids);
}

}  // namespace switchyard
