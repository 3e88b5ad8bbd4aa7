// FieldChoice: how a command names a PSA picklist value (a ticket's status, type or priority).
// One of three forms, so a vendor can be as PSA-agnostic or as precise as it needs:
//
//   "high"                  canonical: mapped through the tenant's mappings (common/mappings.h)
//   {"label": "Escalated"}  the PSA's label, which the connector resolves to the PSA's id
//   {"id": "8"} or {"id": 8}  the PSA's id, sent as is
//
// One parser and one writer for every such field, so the forms and their limits never drift.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/json_writer.h"
#include "common/result.h"

namespace switchyard {

struct FieldChoice {
  enum class Kind { Canonical, Label, Id };
  Kind kind = Kind::Canonical;
  std::string value;

  static FieldChoice canonical(std::string v) { return {Kind::Canonical, std::move(v)}; }
  static FieldChoice label(std::string v) { return {Kind::Label, std::move(v)}; }
  static FieldChoice id(std::string v) { return {Kind::Id, std::move(v)}; }
  bool operator==(const FieldChoice&) const = default;
};

// Limits, in characters (code points) for labels; canonical values and ids are ASCII.
inline constexpr size_t kMaxChoiceCanonical = 64;  // a-z 0-9 _ -
inline constexpr size_t kMaxChoiceLabel = 100;
inline constexpr size_t kMaxChoiceId = 64;

// Reads `key` of `obj` (absent or null: nullopt). `canonical_values`, when not empty, are the
// only canonical values allowed (priority keeps its v1 list); otherwise any 1..64 characters of
// a-z 0-9 _ - (a key of the tenant's mappings). Errors name the field ("payload.status.label:
// must be 1 to 100 characters").
Result<std::optional<FieldChoice>> read_field_choice(simdjson::dom::object obj, std::string_view key,
                                                     std::string_view path,
                                                     std::span<const std::string_view> canonical_values = {});

// Writes `key` in the form it was read: a string, {"label": ...} or {"id": ...}.
void write_field_choice(JsonWriter& w, std::string_view key, const FieldChoice& choice);

}  // namespace switchyard
