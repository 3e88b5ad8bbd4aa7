// Typed field access on simdjson DOM objects. Config files, envelopes, PSA payloads and
// canonical events are all read through these helpers so that every rejection names the
// exact field ("tenants[2].psa: required") instead of a bare simdjson error code.
//
// Conventions shared by every helper:
//   - `path` is the dotted location of `obj` itself ("" for the document root); messages
//     name join_path(path, key).
//   - A key that is absent and a key whose value is JSON null are treated alike: nullopt for
//     optional_*, the fallback for optional_bool, "missing_field" for required_*.
//   - A present value of the wrong type is always an error ("invalid_field"), never ignored.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace switchyard::json {

inline constexpr std::string_view kMissingField = "missing_field";
inline constexpr std::string_view kInvalidField = "invalid_field";

// "a" + "b" → "a.b"; "" + "b" → "b".
std::string join_path(std::string_view path, std::string_view key);
// "tenants" + 2 → "tenants[2]".
std::string index_path(std::string_view path, size_t index);

// The bytes simdjson's parsers read past the end of their input.
inline constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

// `text` with simdjson's padding after it, for the on-demand parser. When the caller knows that
// `readable_past_end` >= kPadding bytes after `text` may be read (a std::string's spare
// capacity), `text` is parsed where it is; otherwise it is copied into `buffer`. The view lives
// as long as both do, unchanged; a caller keeps a buffer per thread, so the copy allocates only
// to grow.
simdjson::padded_string_view padded_view(std::string& buffer, std::string_view text, size_t readable_past_end = 0);

// Errors in the shared format: "<field_path>: required" / "<field_path>: <problem>".
Error missing_field(std::string_view field_path);
Error invalid_field(std::string_view field_path, std::string_view problem);

Result<std::string> required_string(simdjson::dom::object obj, std::string_view key,
                                    std::string_view path);
Result<std::optional<std::string>> optional_string(simdjson::dom::object obj, std::string_view key,
                                                   std::string_view path);

// Numbers accept any JSON number (int64, uint64 or double).
Result<double> required_number(simdjson::dom::object obj, std::string_view key,
                               std::string_view path);
Result<std::optional<double>> optional_number(simdjson::dom::object obj, std::string_view key,
                                              std::string_view path);
// Integers reject fractions ("1.5") and values outside int64 range.
Result<std::optional<int64_t>> optional_int(simdjson::dom::object obj, std::string_view key,
                                            std::string_view path);

Result<bool> required_bool(simdjson::dom::object obj, std::string_view key, std::string_view path);
Result<bool> optional_bool(simdjson::dom::object obj, std::string_view key, std::string_view path,
                           bool fallback);

// An array whose every element is a string; element errors name "<path.key>[i]".
Result<std::vector<std::string>> required_string_array(simdjson::dom::object obj,
                                                       std::string_view key,
                                                       std::string_view path);

// The returned DOM views borrow from the parser that produced `obj`.
Result<simdjson::dom::object> required_object(simdjson::dom::object obj, std::string_view key,
                                              std::string_view path);
Result<std::optional<simdjson::dom::object>> optional_object(simdjson::dom::object obj,
                                                             std::string_view key,
                                                             std::string_view path);
Result<simdjson::dom::array> required_array(simdjson::dom::object obj, std::string_view key,
                                            std::string_view path);
Result<std::optional<simdjson::dom::array>> optional_array(simdjson::dom::object obj,
                                                           std::string_view key,
                                                           std::string_view path);

// A PSA id, which some PSAs send as a number (ConnectWise 42) and others as a string
// ("42", a GUID): returns its string form. Integers only (a fractional id is a bug
// upstream); an empty string is rejected, since no PSA uses "" as an id. `path` is the
// location of `value` itself.
Result<std::string> id_string(simdjson::dom::element value, std::string_view path);
Result<std::string> required_id(simdjson::dom::object obj, std::string_view key,
                                std::string_view path);
// Absent or null → nullopt.
Result<std::optional<std::string>> optional_id(simdjson::dom::object obj, std::string_view key,
                                               std::string_view path);

// The element's string value, or `fallback` when it is not a string. The view borrows
// from the parser.
std::string_view string_or(simdjson::dom::element value, std::string_view fallback);

// "string", "number", "boolean", "object", "array" or "null", for messages.
std::string_view json_type_name(simdjson::dom::element value);

// Reads many members of one object into a struct without an early return after each:
// every call is skipped once a read has failed, and the first error is kept.
//
//   ObjectReader r(obj, "record");
//   r.required("title", t.title).optional("description", t.description);
//   if (!r.ok()) return r.error();
class ObjectReader {
 public:
  ObjectReader(simdjson::dom::object obj, std::string path)
      : obj_(obj), path_(std::move(path)) {}

  ObjectReader& required(std::string_view key, std::string& out);
  ObjectReader& required(std::string_view key, double& out);
  ObjectReader& required(std::string_view key, bool& out);
  ObjectReader& required(std::string_view key, std::vector<std::string>& out);
  ObjectReader& optional(std::string_view key, std::optional<std::string>& out);
  ObjectReader& optional(std::string_view key, std::optional<double>& out);
  ObjectReader& optional(std::string_view key, std::optional<int64_t>& out);
  // Leaves `out` (its default) unchanged when the member is absent or null.
  ObjectReader& optional(std::string_view key, bool& out);

  // Records a failure found by the caller's own checks; ignored if one is already recorded.
  void fail(Error error);
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  simdjson::dom::object object() const { return obj_; }
  const std::string& path() const { return path_; }
  // join_path(path(), key).
  std::string field(std::string_view key) const { return join_path(path_, key); }

 private:
  template <typename T, typename Out>
  ObjectReader& take(Result<T> result, Out& out);

  simdjson::dom::object obj_;
  std::string path_;
  std::optional<Error> error_;
};

}  // namespace switchyard::json
