#include "common/mappings.h"

#include <algorithm>

#include "common/canonical.h"
#include "common/json_read.h"

namespace switchyard {
namespace {

Error mapping_error(const std::string& path, const std::string& message) {
  return make_error("invalid_tenant_config", path + ": " + message);
}

bool is_classification(std::string_view value) {
  return std::ranges::find(canonical::kCompanyClassifications, value) != canonical::kCompanyClassifications.end();
}

std::optional<std::string> lookup(const Mappings* mappings, std::string_view kind, std::string_view from) {
  if (mappings == nullptr) return std::nullopt;
  auto table = mappings->tables.find(kind);
  if (table == mappings->tables.end()) return std::nullopt;
  auto entry = table->second.find(from);
  if (entry == table->second.end()) return std::nullopt;
  return entry->second;
}

}  // namespace

Result<Mappings> parse_mappings(simdjson::dom::object obj, const std::string& path) {
  Mappings mappings;
  for (auto [kind, table] : obj) {
    const std::string kind_path = path + "." + std::string(kind);
    if (std::ranges::find(kMappingKinds, kind) == kMappingKinds.end()) return mapping_error(kind_path, "unknown mapping");
    simdjson::dom::object entries;
    if (table.get(entries) != simdjson::SUCCESS) return mapping_error(kind_path, "must be an object");
    auto& out = mappings.tables[std::string(kind)];
    for (auto [from, to] : entries) {
      const std::string entry_path = kind_path + "." + std::string(from);
      if (from.empty()) return mapping_error(kind_path, "keys must not be empty");
      auto value = json::id_string(to, entry_path);  // ids or names: a string or a number
      if (!value) return mapping_error(entry_path, "must be a string or an integer (a name or an id)");
      if (kind == "company_classification" && !is_classification(*value)) {
        return mapping_error(entry_path, "must be one of customer, prospect, vendor, partner, other");
      }
      out.emplace(std::string(from), std::move(*value));
    }
  }
  return mappings;
}

std::optional<std::string> MappingLookup::resolve(std::string_view kind, std::string_view from) const {
  if (auto own = lookup(tenant_, kind, from)) return own;
  return lookup(defaults_, kind, from);
}

std::optional<std::string> MappingLookup::label(std::string_view table, std::string_view id) const {
  if (labels_ != nullptr) {
    if (auto t = labels_->tables.find(table); t != labels_->tables.end()) {
      if (auto entry = t->second.find(id); entry != t->second.end()) return entry->second;
    }
  }
  if (label_misses_ != nullptr) ++*label_misses_;
  return std::nullopt;
}

}  // namespace switchyard
