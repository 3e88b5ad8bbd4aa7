// Field rules shared by commands (common/command.h) and recipes (common/recipe.h): the same
// id and tenant syntax, the same top-level members, the same error wording.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json_read.h"
#include "common/result.h"

namespace switchyard::command_fields {

inline constexpr size_t kMaxIdLength = 128;
inline constexpr size_t kMaxTenantLength = 64;

// [A-Za-z0-9._:-]: safe in Redis keys, logs and PSA reference fields.
bool is_id_char(char c);
bool is_id(std::string_view s, size_t max = kMaxIdLength);

// Records `problem` for `key` when `valid` is false (and nothing failed before).
void check(json::ObjectReader& r, bool valid, std::string_view key, std::string_view problem);
// Text of `min`..`max` characters (code points).
void check_length(json::ObjectReader& r, std::string_view key, const std::string& value, size_t min, size_t max);
// Ids of PSA records may come as strings or integers; both are kept as strings.
void required_id(json::ObjectReader& r, std::string_view key, std::string& out);
void optional_id(json::ObjectReader& r, std::string_view key, std::optional<std::string>& out);

// The members every command and recipe has.
struct Header {
  std::string id;
  std::string tenant;
  std::string type;
  std::string issued_at;  // "" when absent
};
// Reads and checks command_version, id, tenant, type and issued_at of a top-level object.
Result<Header> read_header(simdjson::dom::object obj);
// The payload object of a command (error names "payload").
Result<simdjson::dom::object> payload_object(simdjson::dom::object obj);
// Parses `json_text` into an object on the calling thread's parser (valid until its next use).
Result<simdjson::dom::object> parse_object(std::string_view json_text, std::string_view what);

}  // namespace switchyard::command_fields
