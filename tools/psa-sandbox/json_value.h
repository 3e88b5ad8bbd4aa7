// Value: a small mutable JSON tree for the sandbox's records. simdjson only reads and
// JsonWriter only writes, but the sandbox must patch, merge and filter stored records.
#pragma once

#include <cstdint>
#include <optional>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/json_writer.h"
#include "common/result.h"

namespace switchyard::sandbox {

class Value {
 public:
  using Array = std::vector<Value>;
  using Object = std::vector<std::pair<std::string, Value>>;  // keeps member order
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int n) : v_(static_cast<int64_t>(n)) {}
  Value(int64_t n) : v_(n) {}
  Value(double d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kInt || type() == Type::kDouble; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_number() const;  // int or double
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object members; null when absent or when this is not an object.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // ASCII case-insensitive (Autotask field names); returns the stored key's spelling too.
  const std::pair<std::string, Value>* find_ci(std::string_view key) const;
  // Follows "a/b/c" through nested objects.
  const Value* at_path(std::string_view path, char separator = '/') const;
  // Sets (or replaces) a member; turns a non-object into an empty object first.
  Value& set(std::string_view key, Value value);
  bool erase(std::string_view key);

  void write(JsonWriter& w) const;
  std::string dump() const;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> v_;
};

// Parses JSON text (simdjson DOM). Error code "invalid_json".
Result<Value> parse_json(std::string_view text);

// ASCII case-insensitive comparison helpers shared by the APIs.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
// The whole of `s` as a decimal integer, or nullopt (ids in paths and query values).
std::optional<int64_t> parse_int(std::string_view s);

}  // namespace switchyard::sandbox
