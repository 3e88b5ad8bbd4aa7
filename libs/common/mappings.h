// Tenant `mappings`: tables that translate between canonical values and one PSA's own, by kind.
// A connector declares defaults for its PSA (ConnectorSpec::default_mappings); a tenant's
// "mappings" override them entry by entry:
//
//   "mappings": {"company_classification": {"Client": "customer", "Reseller": "partner"},
//                "status": {"closed": 5}, "board": {"alerts": "Service Desk"}}
//
// Direction per kind: status, priority, ticket_type, board, alert_severity and
// configuration_type map a canonical value to the PSA's (an id or a name); company_classification maps the PSA's company type (its
// name or id) to a canonical classification. Values are strings or numbers (ids, kept as text).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/label_tables.h"
#include "common/result.h"

namespace switchyard {

inline constexpr std::array<std::string_view, 7> kMappingKinds = {
    "status", "priority", "ticket_type", "board", "company_classification", "alert_severity", "configuration_type"};

struct Mappings {
  // kind → (from → to); only kinds of kMappingKinds.
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables;
  bool empty() const { return tables.empty(); }
  bool operator==(const Mappings&) const = default;
};

// Parses a "mappings" object; errors name the field ("tenants[0].mappings.colour: unknown
// mapping").
Result<Mappings> parse_mappings(simdjson::dom::object obj, const std::string& path);

// The one way a connector resolves a mapping: the tenant's entry, else the connector's
// default, else none. Holds no copies: every table must outlive it.
class MappingLookup {
 public:
  MappingLookup() = default;
  MappingLookup(const Mappings& tenant, const Mappings& defaults) : tenant_(&tenant), defaults_(&defaults) {}
  // With the PSA's own labels (common/label_tables.h) as a further layer; `label_misses`, when
  // given, counts the labels asked for and not known (the caller's metric).
  MappingLookup(const Mappings& tenant, const Mappings& defaults, const LabelTables* labels, size_t* label_misses)
      : tenant_(&tenant), defaults_(&defaults), labels_(labels), label_misses_(label_misses) {}
  std::optional<std::string> resolve(std::string_view kind, std::string_view from) const;
  // The PSA's label of `id` in `table` ("ticket.status", "5" → "Complete"); nullopt (and a
  // miss counted) when the tenant's labels are not known yet or lack it.
  std::optional<std::string> label(std::string_view table, std::string_view id) const;

 private:
  const Mappings* tenant_ = nullptr;
  const Mappings* defaults_ = nullptr;
  const LabelTables* labels_ = nullptr;
  size_t* label_misses_ = nullptr;
};

}  // namespace switchyard
