#include "support/json_schema.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace switchyard::testing {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Named copies for range-for: value() on a temporary simdjson_result returns a reference
// into that temporary, which would dangle for the length of the loop.
simdjson::dom::array as_array(element value) { return value.get_array().value(); }

bool has_type(element value, std::string_view type) {
  const auto t = value.type();
  if (type == "string") return t == element_type::STRING;
  if (type == "boolean") return t == element_type::BOOL;
  if (type == "object") return t == element_type::OBJECT;
  if (type == "array") return t == element_type::ARRAY;
  if (type == "null") return t == element_type::NULL_VALUE;
  if (type == "integer") return t == element_type::INT64 || t == element_type::UINT64;
  if (type == "number") {
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
  }
  return false;
}

bool json_equal(element a, element b) {
  if (a.type() != b.type()) {
    // 1 and 1.0 are the same JSON Schema number.
    if (a.is_number() && b.is_number()) return a.get_double().value() == b.get_double().value();
    return false;
  }
  switch (a.type()) {
    case element_type::STRING: return a.get_string().value() == b.get_string().value();
    case element_type::BOOL: return a.get_bool().value() == b.get_bool().value();
    case element_type::NULL_VALUE: return true;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return a.get_double().value() == b.get_double().value();
    default: return simdjson::to_string(a) == simdjson::to_string(b);
  }
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

JsonSchemaSet::JsonSchemaSet(std::string dir, const std::vector<std::string>& files) {
  for (const auto& name : files) {
    auto& entry = files_[name];
    entry.parser = std::make_unique<simdjson::dom::parser>();
    entry.text = read_text(dir + name);
    auto parsed = entry.parser->parse(entry.text);
    entry.ok = parsed.error() == simdjson::SUCCESS;
    if (entry.ok) entry.root = parsed.value();
  }
}

bool JsonSchemaSet::resolve(std::string ref, std::string& file, element& out) const {
  const auto hash = ref.find('#');
  const std::string target = hash == 0 ? file : ref.substr(0, hash);
  const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
  auto it = files_.find(target);
  if (it == files_.end() || !it->second.ok) return false;
  auto found = it->second.root.at_pointer(pointer);
  if (found.error()) return false;
  file = target;
  out = found.value();
  return true;
}

void JsonSchemaSet::validate(element value, element schema, std::string file, const std::string& path,
                         std::vector<std::string>& errors) const {
  const std::string at = path.empty() ? "(root)" : path;
  if (schema.type() == element_type::BOOL) {
    if (!schema.get_bool().value()) errors.push_back(at + ": not allowed");
    return;
  }
  const auto s = schema.get_object().value();

  if (auto ref = s["$ref"]; !ref.error()) {
    std::string target_file = file;
    element target;
    if (!resolve(std::string(ref.get_string().value()), target_file, target)) {
      errors.push_back(at + ": unresolvable $ref " + std::string(ref.get_string().value()));
    } else {
      validate(value, target, target_file, path, errors);
    }
  }
  if (auto type = s["type"]; !type.error()) {
    bool ok = false;
    std::string names;
    if (type.is_string()) {
      names = std::string(type.get_string().value());
      ok = has_type(value, names);
    } else {
      for (element t : as_array(type.value())) {
        names += std::string(t.get_string().value()) + " ";
        ok = ok || has_type(value, t.get_string().value());
      }
    }
    if (!ok) {
      errors.push_back(at + ": expected type " + names + ", got " + simdjson::to_string(value));
      return;  // the remaining keywords assume the right type
    }
  }
  if (auto c = s["const"]; !c.error() && !json_equal(value, c.value())) {
    errors.push_back(at + ": must equal " + simdjson::to_string(c.value()));
  }
  if (auto e = s["enum"]; !e.error()) {
    bool found = false;
    for (element option : as_array(e.value())) found = found || json_equal(value, option);
    if (!found) errors.push_back(at + ": not in enum: " + simdjson::to_string(value));
  }
  if (value.is_string()) {
    const std::string_view str = value.get_string().value();
    if (auto min = s["minLength"]; !min.error() && code_points(str) < min.get_uint64().value()) {
      errors.push_back(at + ": shorter than minLength");
    }
    if (auto max = s["maxLength"]; !max.error() && code_points(str) > max.get_uint64().value()) {
      errors.push_back(at + ": longer than maxLength");
    }
    if (auto pattern = s["pattern"]; !pattern.error()) {
      const std::regex re(std::string(pattern.get_string().value()), std::regex::ECMAScript);
      if (!std::regex_search(std::string(str), re)) errors.push_back(at + ": does not match pattern");
    }
  }
  if (value.is_number()) {
    const double number = value.get_double().value();
    if (auto min = s["minimum"]; !min.error() && number < min.get_double().value()) {
      errors.push_back(at + ": below minimum");
    }
    if (auto min = s["exclusiveMinimum"]; !min.error() && number <= min.get_double().value()) {
      errors.push_back(at + ": not above exclusiveMinimum");
    }
  }
  if (value.is_object()) {
    const auto obj = value.get_object().value();
    if (auto required = s["required"]; !required.error()) {
      for (element key : as_array(required.value())) {
        if (obj[key.get_string().value()].error()) {
          errors.push_back(at + ": missing required " + std::string(key.get_string().value()));
        }
      }
    }
    const auto properties = s["properties"];
    for (auto [key, member] : obj) {
      const std::string member_path = path.empty() ? std::string(key) : path + "." + std::string(key);
      if (!properties.error()) {
        if (auto property = properties[key]; !property.error()) {
          validate(member, property.value(), file, member_path, errors);
          continue;
        }
      }
      if (auto additional = s["additionalProperties"]; !additional.error()) {
        validate(member, additional.value(), file, member_path, errors);
      }
    }
  }
  if (value.is_array()) {
    if (auto items = s["items"]; !items.error()) {
      size_t index = 0;
      for (element item : as_array(value)) {
        validate(item, items.value(), file, path + "[" + std::to_string(index++) + "]", errors);
      }
    }
  }
  if (auto one_of = s["oneOf"]; !one_of.error()) {
    size_t matches = 0;
    for (element branch : as_array(one_of.value())) {
      std::vector<std::string> branch_errors;
      validate(value, branch, file, path, branch_errors);
      matches += branch_errors.empty();
    }
    if (matches != 1) errors.push_back(at + ": matches " + std::to_string(matches) + " oneOf branches");
  }
}

std::vector<std::string> JsonSchemaSet::validate_text(const std::string& json, const std::string& file,
                                                      const char* pointer) const {
  simdjson::dom::parser parser;
  element value;
  std::vector<std::string> errors;
  if (parser.parse(json).get(value) != simdjson::SUCCESS) return {"(root): not valid JSON"};
  if (*pointer && value.at_pointer(pointer).get(value) != simdjson::SUCCESS) {
    return {std::string(pointer) + ": not found"};
  }
  validate(value, root(file), file, "", errors);
  return errors;
}

const std::vector<std::string>& canonical_schema_files() {
  // Every file of the directory, so a schema added later is there for the $refs to it.
  static const std::vector<std::string> kFiles = [] {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(canonical_schema_dir())) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".schema.json")) files.push_back(name);
    }
    std::sort(files.begin(), files.end());
    return files;
  }();
  return kFiles;
}

std::string canonical_schema_dir() { return std::string(SWITCHYARD_SOURCE_DIR) + "/docs/schemas/v1/"; }

}  // namespace switchyard::testing
