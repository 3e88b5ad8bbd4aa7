// JsonWriter: builds compact JSON text into a string. simdjson only parses, so every
// document Switchyard emits (envelopes, canonical records, logs, DLQ reasons) goes through
// this one writer, which escapes strings correctly and never allocates per value.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// The bytes JSON requires escaped in a string (RFC 8259, section 7).
constexpr bool json_needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// A member name spelled out in the code (a string literal): written without the escape scan,
// which on a canonical event's two dozen short names cost more than their values' (issue #18).
// Debug builds check that the literal needs no escaping.
struct JsonKey {
  template <size_t N>
  constexpr JsonKey(const char (&literal)[N]) : name(literal, N - 1) {  // NOLINT: implicit on purpose
    assert(is_plain(name) && "a JsonKey must be a literal that needs no escaping");
  }
  static constexpr bool is_plain(std::string_view s) {
    for (char c : s) {
      if (json_needs_escape(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  std::string_view name;
};

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();

  // Object member name; must be followed by exactly one value (or begin_object/array).
  JsonWriter& key(std::string_view name);
  JsonWriter& key(JsonKey name);
  // A literal binds to these exactly, where JsonKey and std::string_view would tie.
  template <size_t N>
  JsonWriter& key(const char (&name)[N]) {
    return key(JsonKey(name));
  }

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int64_t n);
  JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& value(uint64_t n);
  JsonWriter& value(double d);
  JsonWriter& null();
  // Inserts already-valid JSON text verbatim (e.g. a validated webhook body).
  JsonWriter& raw(std::string_view json);

  // Shorthands for key(name).value(v).
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  template <typename T>
  JsonWriter& field(JsonKey name, const T& v) {
    key(name);
    return value(v);
  }
  template <size_t N, typename T>
  JsonWriter& field(const char (&name)[N], const T& v) {
    key(JsonKey(name));
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(size_t n) { out_.reserve(n); }

 private:
  void before_value();
  std::string out_;
  // Per open container: whether a separator is needed before the next element.
  std::vector<bool> needs_comma_;
  bool after_key_ = false;
};

// Appends `s` to `out` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace switchyard
