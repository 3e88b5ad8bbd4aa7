#include "common/field_choice.h"

#include <algorithm>

#include "common/json_read.h"
#include "common/text.h"

namespace switchyard {
namespace {

bool is_canonical_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

// A value with a control character would be hard to see in a message and could never match.
bool has_control(std::string_view s) {
  return std::ranges::any_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string list_of(std::span<const std::string_view> values) {
  std::string out;
  for (const auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

Result<FieldChoice> read_canonical(std::string value, const std::string& path,
                                   std::span<const std::string_view> allowed) {
  if (!allowed.empty()) {
    if (std::ranges::find(allowed, value) == allowed.end()) {
      return json::invalid_field(path, "must be one of " + list_of(allowed) + ", or {\"label\": ...} or {\"id\": ...}");
    }
    return FieldChoice::canonical(std::move(value));
  }
  if (value.empty() || value.size() > kMaxChoiceCanonical || !std::ranges::all_of(value, is_canonical_char)) {
    return json::invalid_field(path, "must be 1 to 64 characters of a-z 0-9 _ -, or {\"label\": ...} or {\"id\": ...}");
  }
  return FieldChoice::canonical(std::move(value));
}

Result<FieldChoice> read_object(simdjson::dom::object obj, const std::string& path) {
  const bool has_label = obj["label"].error() == simdjson::SUCCESS;
  const bool has_id = obj["id"].error() == simdjson::SUCCESS;
  if (has_label == has_id) return json::invalid_field(path, "must have exactly one of label, id");
  if (has_label) {
    auto label = json::required_string(obj, "label", path);
    if (!label) return label.error();
    const size_t n = utf8_length(*label);
    if (n == 0 || n > kMaxChoiceLabel || has_control(*label)) {
      return json::invalid_field(json::join_path(path, "label"), "must be 1 to 100 characters, without control characters");
    }
    return FieldChoice::label(std::move(*label));
  }
  auto id = json::required_id(obj, "id", path);
  if (!id) return id.error();
  if (id->size() > kMaxChoiceId || has_control(*id)) {
    return json::invalid_field(json::join_path(path, "id"), "must be 1 to 64 characters, without control characters");
  }
  return FieldChoice::id(std::move(*id));
}

}  // namespace

Result<std::optional<FieldChoice>> read_field_choice(simdjson::dom::object obj, std::string_view key,
                                                     std::string_view path,
                                                     std::span<const std::string_view> canonical_values) {
  simdjson::dom::element value;
  if (obj[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::optional<FieldChoice>();
  const std::string field = json::join_path(path, key);
  Result<FieldChoice> choice = [&]() -> Result<FieldChoice> {
    switch (value.type()) {
      case simdjson::dom::element_type::STRING:
        return read_canonical(std::string(value.get_string().value_unsafe()), field, canonical_values);
      case simdjson::dom::element_type::OBJECT: return read_object(value.get_object().value_unsafe(), field);
      default: return json::invalid_field(field, "must be a string, {\"label\": ...} or {\"id\": ...}");
    }
  }();
  if (!choice) return choice.error();
  return std::optional<FieldChoice>(std::move(*choice));
}

void write_field_choice(JsonWriter& w, std::string_view key, const FieldChoice& choice) {
  switch (choice.kind) {
    case FieldChoice::Kind::Canonical: w.field(key, choice.value); break;
    case FieldChoice::Kind::Label: w.key(key).begin_object().field("label", choice.value).end_object(); break;
    case FieldChoice::Kind::Id: w.key(key).begin_object().field("id", choice.value).end_object(); break;
  }
}

}  // namespace switchyard
