#include "common/json_read.h"

#include <utility>

namespace switchyard::json {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The member's value, or nullopt when the key is absent or its value is null: callers
// treat both the same (see the header).
std::optional<element> present(simdjson::dom::object obj, std::string_view key) {
  auto found = obj.at_key(key);
  if (found.error() != simdjson::SUCCESS) return std::nullopt;
  element value = found.value_unsafe();
  if (value.type() == element_type::NULL_VALUE) return std::nullopt;
  return value;
}

std::string as_string(element value) {
  return std::string(value.get_string().value_unsafe());
}

std::optional<double> as_number(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    default: return std::nullopt;
  }
}

}  // namespace

simdjson::padded_string_view padded_view(std::string& buffer, std::string_view text, size_t readable_past_end) {
  if (readable_past_end >= kPadding) return simdjson::padded_string_view(text.data(), text.size(), text.size() + kPadding);
  buffer.assign(text);
  buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(buffer.data(), text.size(), buffer.size());
}

std::string join_path(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).push_back('.');
  out.append(key);
  return out;
}

std::string index_path(std::string_view path, size_t index) {
  std::string out(path);
  out.push_back('[');
  out.append(std::to_string(index));
  out.push_back(']');
  return out;
}

Error missing_field(std::string_view field_path) {
  return make_error(std::string(kMissingField), std::string(field_path) + ": required");
}

Error invalid_field(std::string_view field_path, std::string_view problem) {
  std::string message(field_path);
  message.append(": ").append(problem);
  return make_error(std::string(kInvalidField), std::move(message));
}

std::string_view json_type_name(element value) {
  switch (value.type()) {
    case element_type::STRING: return "string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "number";
    case element_type::BOOL: return "boolean";
    case element_type::OBJECT: return "object";
    case element_type::ARRAY: return "array";
    case element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

Result<std::optional<std::string>> optional_string(simdjson::dom::object obj, std::string_view key,
                                                   std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<std::string>();
  if (value->type() != element_type::STRING) {
    return invalid_field(join_path(path, key), "must be a string");
  }
  return std::optional<std::string>(as_string(*value));
}

Result<std::string> required_string(simdjson::dom::object obj, std::string_view key,
                                    std::string_view path) {
  auto value = optional_string(obj, key, path);
  if (!value) return value.error();
  if (!value->has_value()) return missing_field(join_path(path, key));
  return std::move(**value);
}

Result<std::optional<double>> optional_number(simdjson::dom::object obj, std::string_view key,
                                              std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<double>();
  auto number = as_number(*value);
  if (!number) return invalid_field(join_path(path, key), "must be a number");
  return number;
}

Result<double> required_number(simdjson::dom::object obj, std::string_view key,
                               std::string_view path) {
  auto value = optional_number(obj, key, path);
  if (!value) return value.error();
  if (!value->has_value()) return missing_field(join_path(path, key));
  return **value;
}

Result<std::optional<int64_t>> optional_int(simdjson::dom::object obj, std::string_view key,
                                            std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<int64_t>();
  switch (value->type()) {
    case element_type::INT64: return std::optional<int64_t>(value->get_int64().value_unsafe());
    case element_type::UINT64: return invalid_field(join_path(path, key), "out of range");
    default: return invalid_field(join_path(path, key), "must be an integer");
  }
}

Result<bool> optional_bool(simdjson::dom::object obj, std::string_view key, std::string_view path,
                           bool fallback) {
  auto value = present(obj, key);
  if (!value) return fallback;
  if (value->type() != element_type::BOOL) {
    return invalid_field(join_path(path, key), "must be a boolean");
  }
  return value->get_bool().value_unsafe();
}

Result<bool> required_bool(simdjson::dom::object obj, std::string_view key, std::string_view path) {
  if (!present(obj, key)) return missing_field(join_path(path, key));
  return optional_bool(obj, key, path, false);
}

Result<std::vector<std::string>> required_string_array(simdjson::dom::object obj,
                                                       std::string_view key,
                                                       std::string_view path) {
  auto arr = required_array(obj, key, path);
  if (!arr) return arr.error();
  std::vector<std::string> out;
  out.reserve(arr->size());
  size_t index = 0;
  for (element item : *arr) {
    if (item.type() != element_type::STRING) {
      return invalid_field(index_path(join_path(path, key), index), "must be a string");
    }
    out.push_back(as_string(item));
    ++index;
  }
  return out;
}

Result<std::optional<simdjson::dom::object>> optional_object(simdjson::dom::object obj,
                                                             std::string_view key,
                                                             std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<simdjson::dom::object>();
  if (value->type() != element_type::OBJECT) {
    return invalid_field(join_path(path, key), "must be an object");
  }
  return std::optional<simdjson::dom::object>(value->get_object().value_unsafe());
}

Result<simdjson::dom::object> required_object(simdjson::dom::object obj, std::string_view key,
                                              std::string_view path) {
  auto value = optional_object(obj, key, path);
  if (!value) return value.error();
  if (!value->has_value()) return missing_field(join_path(path, key));
  return **value;
}

Result<std::optional<simdjson::dom::array>> optional_array(simdjson::dom::object obj,
                                                           std::string_view key,
                                                           std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<simdjson::dom::array>();
  if (value->type() != element_type::ARRAY) {
    return invalid_field(join_path(path, key), "must be an array");
  }
  return std::optional<simdjson::dom::array>(value->get_array().value_unsafe());
}

Result<simdjson::dom::array> required_array(simdjson::dom::object obj, std::string_view key,
                                            std::string_view path) {
  auto value = optional_array(obj, key, path);
  if (!value) return value.error();
  if (!value->has_value()) return missing_field(join_path(path, key));
  return **value;
}

Result<std::string> id_string(element value, std::string_view path) {
  switch (value.type()) {
    case element_type::STRING: {
      std::string id = as_string(value);
      if (id.empty()) return invalid_field(path, "must not be empty");
      return id;
    }
    case element_type::INT64: return std::to_string(value.get_int64().value_unsafe());
    case element_type::UINT64: return std::to_string(value.get_uint64().value_unsafe());
    case element_type::NULL_VALUE: return missing_field(path);
    default: return invalid_field(path, "must be a string or an integer");
  }
}

Result<std::optional<std::string>> optional_id(simdjson::dom::object obj, std::string_view key,
                                               std::string_view path) {
  auto value = present(obj, key);
  if (!value) return std::optional<std::string>();
  auto id = id_string(*value, join_path(path, key));
  if (!id) return id.error();
  return std::optional<std::string>(std::move(*id));
}

Result<std::string> required_id(simdjson::dom::object obj, std::string_view key,
                                std::string_view path) {
  auto id = optional_id(obj, key, path);
  if (!id) return id.error();
  if (!id->has_value()) return missing_field(join_path(path, key));
  return std::move(**id);
}

std::string_view string_or(element value, std::string_view fallback) {
  if (value.type() != element_type::STRING) return fallback;
  return value.get_string().value_unsafe();
}

template <typename T, typename Out>
ObjectReader& ObjectReader::take(Result<T> result, Out& out) {
  if (!result) {
    fail(result.error());
  } else {
    out = std::move(*result);
  }
  return *this;
}

ObjectReader& ObjectReader::required(std::string_view key, std::string& out) {
  return ok() ? take(required_string(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::required(std::string_view key, double& out) {
  return ok() ? take(required_number(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::required(std::string_view key, bool& out) {
  return ok() ? take(required_bool(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::required(std::string_view key, std::vector<std::string>& out) {
  return ok() ? take(required_string_array(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::optional<std::string>& out) {
  return ok() ? take(optional_string(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::optional<double>& out) {
  return ok() ? take(optional_number(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, std::optional<int64_t>& out) {
  return ok() ? take(optional_int(obj_, key, path_), out) : *this;
}

ObjectReader& ObjectReader::optional(std::string_view key, bool& out) {
  return ok() ? take(optional_bool(obj_, key, path_, out), out) : *this;
}

void ObjectReader::fail(Error error) {
  if (!error_) error_ = std::move(error);
}

}  // namespace switchyard::json
