// Label tables: the names a PSA gives its picklist ids, read from the PSA at run time
// (Connector::label_tables: "ticket.status" → {"5": "Complete"}). ingest reads them per tenant on
// its PSA-calling workers and keeps them in Redis; normalize hands them to the mapper (as a layer
// of MappingLookup), so a canonical record carries "Complete" where the PSA sent only 5. Tables
// are opaque to the services: their names and ids are the connector's own.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace switchyard {

struct LabelTables {
  // table → (id → label)
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables;
  bool empty() const { return tables.empty(); }
  bool operator==(const LabelTables&) const = default;
};

// Bounds on what is stored and read back (a PSA's answer is outside input).
inline constexpr size_t kMaxLabelTables = 64;
inline constexpr size_t kMaxLabelsPerTable = 5000;
inline constexpr size_t kMaxLabelIdLength = 64;
inline constexpr size_t kMaxLabelLength = 256;

// {"ticket.status": {"5": "Complete", ...}, ...}
std::string label_tables_to_json(const LabelTables& tables);
// The inverse; entries past the bounds are an error (a corrupt or foreign value).
Result<LabelTables> label_tables_from_json(std::string_view json);

}  // namespace switchyard
