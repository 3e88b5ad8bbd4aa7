#include "common/tenant_ids.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/env.h"
#include "common/tenants.h"

namespace switchyard {

bool valid_tenant_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Result<TenantIds> parse_tenant_ids(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "not valid JSON");
  }
  simdjson::dom::array tenants;
  if (root["tenants"].get(tenants) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "tenants: required, a list");
  }
  TenantIds ids;
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

Result<TenantIds> read_tenant_ids(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    auto files = tenant_files(path);
    if (!files) return files.error();
    TenantIds ids;
    for (const auto& file : *files) ids.insert(file.stem().string());  // <id>.json
    return ids;
  }
  std::ifstream in(path);
  if (!in) return make_error("invalid_tenants", "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse_tenant_ids(text.str());
}

TenantIds load_tenant_ids(const std::string& path) {
  auto ids = read_tenant_ids(path);
  if (!ids) throw ConfigError("tenants " + path + ": " + ids.error().message);
  return std::move(*ids);
}

bool TenantLabels::replace(TenantIds ids) {
  auto fresh = std::make_shared<const TenantIds>(std::move(ids));
  std::lock_guard lock(shared_->mutex);
  if (*fresh == *shared_->ids) return false;
  shared_->ids = std::move(fresh);
  return true;
}

std::shared_ptr<const TenantIds> TenantLabels::ids() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->ids;
}

}  // namespace switchyard
