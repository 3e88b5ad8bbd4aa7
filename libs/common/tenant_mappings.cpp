#include "common/tenant_mappings.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/tenants.h"

namespace switchyard {
namespace {

Result<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("invalid_tenants", path.filename().string() + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One tenant object: adds its mappings, when it has any, under its id.
Status add_tenant(simdjson::dom::object tenant, const std::string& path, MappingsByTenant& out) {
  std::string_view id;
  if (tenant["id"].get(id) != simdjson::SUCCESS || id.empty()) {
    return make_error("invalid_tenants", path + ".id: required, a string");
  }
  simdjson::dom::element value;
  if (tenant["mappings"].get(value) != simdjson::SUCCESS) return ok_status();
  simdjson::dom::object mappings;
  if (value.get(mappings) != simdjson::SUCCESS) return make_error("invalid_tenants", path + ".mappings: must be an object");
  auto parsed = parse_mappings(mappings, path + ".mappings");
  if (!parsed) return parsed.error();
  out.insert_or_assign(std::string(id), std::move(*parsed));
  return ok_status();
}

}  // namespace

Result<MappingsByTenant> parse_tenant_mappings(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "not valid JSON");
  }
  simdjson::dom::array tenants;
  if (root["tenants"].get(tenants) != simdjson::SUCCESS) return make_error("invalid_tenants", "tenants: required, a list");
  MappingsByTenant out;
  size_t index = 0;
  for (simdjson::dom::element item : tenants) {
    const std::string path = "tenants[" + std::to_string(index++) + "]";
    simdjson::dom::object tenant;
    if (item.get(tenant) != simdjson::SUCCESS) return make_error("invalid_tenants", path + ": must be an object");
    if (auto st = add_tenant(tenant, path, out); !st) return st.error();
  }
  return out;
}

Result<MappingsByTenant> read_tenant_mappings(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    auto text = read_text(path);
    if (!text) return text.error();
    return parse_tenant_mappings(*text);
  }
  // A tenants directory (common/tenants.h): one <id>.json per tenant.
  auto files = tenant_files(path);
  if (!files) return files.error();
  MappingsByTenant out;
  simdjson::dom::parser parser;
  for (const auto& file : *files) {
    const std::string name = file.filename().string();
    auto text = read_text(file);
    if (!text) return text.error();
    simdjson::dom::element root;
    simdjson::dom::object tenant;
    if (parser.parse(text->data(), text->size()).get(root) != simdjson::SUCCESS || root.get(tenant) != simdjson::SUCCESS) {
      return make_error("invalid_tenants", name + ": must be one tenant object");
    }
    if (auto st = add_tenant(tenant, name, out); !st) return st.error();
  }
  return out;
}

std::shared_ptr<const MappingsByTenant> TenantMappings::snapshot() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->table;
}

bool TenantMappings::replace(MappingsByTenant mappings) {
  auto fresh = std::make_shared<const MappingsByTenant>(std::move(mappings));
  std::lock_guard lock(shared_->mutex);
  if (*fresh == *shared_->table) return false;
  shared_->table = std::move(fresh);
  return true;
}

const Mappings& mappings_of(const MappingsByTenant& table, std::string_view tenant) {
  static const Mappings kNone;
  auto it = table.find(tenant);
  return it == table.end() ? kNone : it->second;
}

}  // namespace switchyard
