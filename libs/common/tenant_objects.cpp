#include "common/tenant_objects.h"

#include <filesystem>
#include <fstream>
#include <sstream>

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

Status visit_tenant(simdjson::dom::object tenant, const std::string& path, const TenantObjectVisitor& visit) {
  std::string_view id;
  if (tenant["id"].get(id) != simdjson::SUCCESS || id.empty()) {
    return make_error("invalid_tenants", path + ".id: required, a string");
  }
  return visit(tenant, id, path);
}

}  // namespace

Status for_each_tenant_object(std::string_view json, const TenantObjectVisitor& visit) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return make_error("invalid_tenants", "not valid JSON");
  }
  simdjson::dom::array tenants;
  if (root["tenants"].get(tenants) != simdjson::SUCCESS) return make_error("invalid_tenants", "tenants: required, a list");
  size_t index = 0;
  for (simdjson::dom::element item : tenants) {
    const std::string path = "tenants[" + std::to_string(index++) + "]";
    simdjson::dom::object tenant;
    if (item.get(tenant) != simdjson::SUCCESS) return make_error("invalid_tenants", path + ": must be an object");
    if (auto st = visit_tenant(tenant, path, visit); !st) return st;
  }
  return ok_status();
}

Status for_each_tenant_object_at(const std::string& path, const TenantObjectVisitor& visit) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    auto text = read_text(path);
    if (!text) return text.error();
    return for_each_tenant_object(*text, visit);
  }
  auto files = tenant_files(path);
  if (!files) return files.error();
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
    if (auto st = visit_tenant(tenant, name, visit); !st) return st;
  }
  return ok_status();
}

}  // namespace switchyard
