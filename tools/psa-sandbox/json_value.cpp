#include "psa-sandbox/json_value.h"

#include <simdjson.h>

#include <charconv>

namespace switchyard::sandbox {
namespace {

Value from_element(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Value::Array out;
      const simdjson::dom::array array = e.get_array().value_unsafe();  // named: ranging over a temporary result dangles
      for (auto child : array) out.push_back(from_element(child));
      return out;
    }
    case simdjson::dom::element_type::OBJECT: {
      Value::Object out;
      // A named copy: ranging over value_unsafe() of a temporary result dangles.
      const simdjson::dom::object object = e.get_object().value_unsafe();
      for (auto field : object) {
        out.emplace_back(std::string(field.key), from_element(field.value));
      }
      return out;
    }
    case simdjson::dom::element_type::INT64: return e.get_int64().value_unsafe();
    case simdjson::dom::element_type::UINT64:
      return static_cast<double>(e.get_uint64().value_unsafe());  // beyond int64: no PSA id is
    case simdjson::dom::element_type::DOUBLE: return e.get_double().value_unsafe();
    case simdjson::dom::element_type::STRING: return std::string_view(e.get_string().value_unsafe());
    case simdjson::dom::element_type::BOOL: return e.get_bool().value_unsafe();
    case simdjson::dom::element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

double Value::as_number() const {
  return is_int() ? static_cast<double>(std::get<int64_t>(v_)) : std::get<double>(v_);
}

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

const std::pair<std::string, Value>* Value::find_ci(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& member : as_object()) {
    if (iequals(member.first, key)) return &member;
  }
  return nullptr;
}

const Value* Value::at_path(std::string_view path, char separator) const {
  const Value* cur = this;
  while (cur != nullptr && !path.empty()) {
    const size_t sep = path.find(separator);
    cur = cur->find(path.substr(0, sep));
    path = sep == std::string_view::npos ? std::string_view{} : path.substr(sep + 1);
  }
  return cur;
}

Value& Value::set(std::string_view key, Value value) {
  if (!is_object()) v_ = Object{};
  for (auto& [k, v] : as_object()) {
    if (k == key) return v = std::move(value);
  }
  return as_object().emplace_back(std::string(key), std::move(value)).second;
}

bool Value::erase(std::string_view key) {
  if (!is_object()) return false;
  auto& members = as_object();
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (it->first == key) {
      members.erase(it);
      return true;
    }
  }
  return false;
}

void Value::write(JsonWriter& w) const {
  switch (type()) {
    case Type::kNull: w.null(); break;
    case Type::kBool: w.value(as_bool()); break;
    case Type::kInt: w.value(as_int()); break;
    case Type::kDouble: w.value(std::get<double>(v_)); break;
    case Type::kString: w.value(as_string()); break;
    case Type::kArray:
      w.begin_array();
      for (const auto& v : as_array()) v.write(w);
      w.end_array();
      break;
    case Type::kObject:
      w.begin_object();
      for (const auto& [k, v] : as_object()) {
        w.key(k);
        v.write(w);
      }
      w.end_object();
      break;
  }
}

std::string Value::dump() const {
  JsonWriter w;
  write(w);
  return w.take();
}

Result<Value> parse_json(std::string_view text) {
  // One parser per call: requests are handled on several threads.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto err = parser.parse(simdjson::padded_string(text)).get(root);
  if (err != simdjson::SUCCESS) return make_error("invalid_json", simdjson::error_message(err));
  return from_element(root);
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return n;
}

}  // namespace switchyard::sandbox
