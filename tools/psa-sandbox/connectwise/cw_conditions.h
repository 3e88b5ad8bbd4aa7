// ConnectWise "conditions" query parameter: a small boolean language over record fields,
//   lastUpdated > [2024-01-01T00:00:00Z] and (status/name = "New" or id in (1, 2))
// Supported: = != <> < <= > >= like contains in, not in; and, or, not, parentheses; literals
// "string", number, [datetime], true, false, null. Field paths use '/' ("company/id");
// a bare name missing from the record is looked up in _info ("lastUpdated"). Strings
// compare case-insensitively like CW's SQL collation; like takes '*' or '%' wildcards.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {

class Conditions {
 public:
  // Empty text matches everything. Error code "invalid_conditions" with a message that
  // names the offending position.
  static Result<Conditions> parse(std::string_view text);
  bool matches(const Value& record) const;

  struct Literal {
    enum class Kind { kString, kNumber, kDate, kBool, kNull } kind = Kind::kNull;
    std::string text;
    double number = 0;
    std::chrono::system_clock::time_point time;
    bool boolean = false;
  };
  struct Node {
    enum class Kind { kAnd, kOr, kNot, kCompare } kind = Kind::kCompare;
    std::vector<Node> children;
    std::string field;
    std::string op;  // "=", "!=", "<", "<=", ">", ">=", "like", "contains", "in", "not in"
    std::vector<Literal> literals;
  };

 private:
  std::shared_ptr<const Node> root_;  // null: match all
};

// The field a path names in a CW record: "a/b" through nested objects, with the _info
// fallback described above. Null when absent.
const Value* cw_field(const Value& record, std::string_view path);

}  // namespace switchyard::sandbox
