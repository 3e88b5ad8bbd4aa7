// Autotask QueryModel (docs/psa/autotask.md): {"MaxRecords", "IncludeFields", "Filter":[{op, field,
// value, udf, items}]}, keys in either case. Top-level filters are AND-ed; "and"/"or"
// group `items`. Field names resolve case-insensitively against the entity's fields and an
// unknown field is refused, as Autotask does.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "psa-sandbox/autotask/autotask_model.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {

inline constexpr int64_t kAtMaxRecords = 500;

struct AtFilter {
  std::string op;     // lower case: eq, noteq, gt, gte, lt, lte, beginswith, endswith, contains,
                      // exist, notexist, in, notin, and, or
  std::string field;  // canonical spelling
  Value value;
  std::vector<AtFilter> items;
};

struct AtQuery {
  int64_t max_records = kAtMaxRecords;
  std::vector<std::string> include_fields;  // canonical; empty = all
  std::vector<AtFilter> filter;
};

// Error code "invalid_query", message in Autotask's words where known.
Result<AtQuery> parse_at_query(const AtEntity& entity, const Value& body);
bool at_matches(const AtEntity& entity, const std::vector<AtFilter>& filter, const Value& record);
// The query as JSON, to build nextPageUrl.
Value at_query_json(const AtQuery& query);

}  // namespace switchyard::sandbox
