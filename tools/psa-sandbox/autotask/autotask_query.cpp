#include "psa-sandbox/autotask/autotask_query.h"

#include <cmath>
#include <optional>

#include "common/time_format.h"

namespace switchyard::sandbox {
namespace {

constexpr size_t kMaxConditions = 500;  // Autotask's limit on OR conditions (docs/psa/autotask.md)
constexpr int kMaxDepth = 10;

const Value* member(const Value& obj, std::string_view key) {
  const auto* m = obj.find_ci(key);
  return m == nullptr ? nullptr : &m->second;
}

bool known_op(std::string_view op) {
  for (const auto* k : {"eq", "noteq", "gt", "gte", "lt", "lte", "beginswith", "endswith", "contains", "exist",
                        "notexist", "in", "notin", "and", "or"}) {
    if (op == k) return true;
  }
  return false;
}

Result<AtFilter> parse_filter(const AtEntity& entity, const Value& item, int depth, size_t& count) {
  const auto bad = [](std::string m) { return make_error("invalid_query", std::move(m)); };
  if (!item.is_object()) return bad("Each filter must be an object.");
  if (++count > kMaxConditions) return bad("A query can have at most 500 conditions.");
  if (depth > kMaxDepth) return bad("Filter groups are nested too deeply.");
  AtFilter f;
  const Value* op = member(item, "op");
  if (op == nullptr || !op->is_string()) return bad("Filter op is required.");
  f.op = to_lower(op->as_string());
  if (!known_op(f.op)) return bad("Invalid filter op '" + op->as_string() + "'.");
  if (f.op == "and" || f.op == "or") {
    const Value* items = member(item, "items");
    if (items == nullptr || !items->is_array() || items->as_array().empty()) {
      return bad("Filter '" + f.op + "' requires items.");
    }
    for (const Value& child : items->as_array()) {
      auto c = parse_filter(entity, child, depth + 1, count);
      if (!c) return c.error();
      f.items.push_back(std::move(c).value());
    }
    return f;
  }
  const Value* udf = member(item, "udf");
  if (udf && udf->is_bool() && udf->as_bool()) return bad("User-defined fields are not supported by the sandbox.");
  const Value* field = member(item, "field");
  if (field == nullptr || !field->is_string() || field->as_string().empty()) return bad("Filter field is required.");
  const std::string_view name = at_field_name(entity, field->as_string());
  if (name.empty()) {
    return bad("Unable to find " + field->as_string() + " in the " + std::string(entity.singular) + " entity.");
  }
  f.field = std::string(name);
  if (f.op != "exist" && f.op != "notexist") {
    const Value* value = member(item, "value");
    if (value == nullptr) return bad("Filter value is required for op " + f.op + ".");
    if ((f.op == "in" || f.op == "notin") && !value->is_array()) return bad("Filter op " + f.op + " needs an array value.");
    f.value = *value;
  }
  return f;
}

// Date values may be date-only or lack a zone; Autotask reads both as UTC.
std::optional<std::chrono::system_clock::time_point> as_time(const Value& v) {
  if (!v.is_string()) return std::nullopt;
  std::string s = v.as_string();
  if (is_valid_date(s)) s += "T00:00:00Z";
  if (auto t = parse_rfc3339(s)) return *t;
  if (auto t = parse_rfc3339(s + "Z")) return *t;
  return std::nullopt;
}

std::optional<double> as_number(const Value& v) {
  if (v.is_number()) return v.as_number();
  if (v.is_bool()) return v.as_bool() ? 1.0 : 0.0;
  if (v.is_string() && !v.as_string().empty()) {
    char* end = nullptr;
    const double d = std::strtod(v.as_string().c_str(), &end);
    if (end != nullptr && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

std::string as_text(const Value& v) { return v.is_string() ? v.as_string() : v.dump(); }

// -1, 0, 1, or nullopt when the two cannot be compared.
std::optional<int> compare(std::string_view type, const Value& record_value, const Value& filter_value) {
  const auto sign = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
  if (record_value.is_number() || record_value.is_bool()) {
    const auto a = as_number(record_value), b = as_number(filter_value);
    if (!a || !b) return std::nullopt;
    return sign(*a, *b);
  }
  if (type == "datetime") {
    const auto a = as_time(record_value), b = as_time(filter_value);
    if (!a || !b) return std::nullopt;
    return sign(*a, *b);
  }
  // Strings: SQL Server's default collation is case-insensitive.
  return sign(to_lower(as_text(record_value)), to_lower(as_text(filter_value)));
}

bool eval(const AtEntity& entity, const AtFilter& f, const Value& record) {
  if (f.op == "and" || f.op == "or") {
    for (const auto& child : f.items) {
      const bool m = eval(entity, child, record);
      if (f.op == "or" && m) return true;
      if (f.op == "and" && !m) return false;
    }
    return f.op == "and";
  }
  const Value* v = record.find(f.field);
  const bool present = v != nullptr && !v->is_null();
  if (f.op == "exist") return present;
  if (f.op == "notexist") return !present;
  if (f.op == "in" || f.op == "notin") {
    bool any = false;
    if (present) {
      for (const Value& candidate : f.value.as_array()) {
        const auto c = compare(at_field_type(entity, f.field), *v, candidate);
        any = any || (c && *c == 0);
      }
    }
    return f.op == "in" ? any : !any;
  }
  if (!present) return f.op == "noteq" && !f.value.is_null();
  if (f.value.is_null()) return f.op == "noteq";
  if (f.op == "beginswith" || f.op == "endswith" || f.op == "contains") {
    const std::string a = to_lower(as_text(*v)), b = to_lower(as_text(f.value));
    if (f.op == "contains") return a.find(b) != std::string::npos;
    if (a.size() < b.size()) return false;
    return f.op == "beginswith" ? a.compare(0, b.size(), b) == 0 : a.compare(a.size() - b.size(), b.size(), b) == 0;
  }
  const auto c = compare(at_field_type(entity, f.field), *v, f.value);
  if (!c) return f.op == "noteq";
  if (f.op == "eq") return *c == 0;
  if (f.op == "noteq") return *c != 0;
  if (f.op == "gt") return *c > 0;
  if (f.op == "gte") return *c >= 0;
  if (f.op == "lt") return *c < 0;
  if (f.op == "lte") return *c <= 0;
  return false;
}

Value filter_json(const AtFilter& f) {
  Value::Object out{{"op", f.op}};
  if (f.op == "and" || f.op == "or") {
    Value::Array items;
    for (const auto& c : f.items) items.push_back(filter_json(c));
    out.emplace_back("items", Value(std::move(items)));
  } else {
    out.emplace_back("field", f.field);
    if (f.op != "exist" && f.op != "notexist") out.emplace_back("value", f.value);
  }
  return out;
}

}  // namespace

Result<AtQuery> parse_at_query(const AtEntity& entity, const Value& body) {
  const auto bad = [](std::string m) { return make_error("invalid_query", std::move(m)); };
  if (!body.is_object()) return bad("The query must be a JSON object.");
  AtQuery q;
  if (const Value* max = member(body, "MaxRecords"); max && !max->is_null()) {
    if (!max->is_int() || max->as_int() < 1 || max->as_int() > kAtMaxRecords) {
      return bad("MaxRecords must be between 1 and 500.");
    }
    q.max_records = max->as_int();
  }
  if (const Value* include = member(body, "IncludeFields"); include && !include->is_null()) {
    if (!include->is_array()) return bad("IncludeFields must be an array of field names.");
    for (const Value& f : include->as_array()) {
      const std::string_view name = f.is_string() ? at_field_name(entity, f.as_string()) : std::string_view{};
      if (name.empty()) {
        return bad("Unable to find " + as_text(f) + " in the " + std::string(entity.singular) + " entity.");
      }
      q.include_fields.emplace_back(name);
    }
  }
  const Value* filter = member(body, "Filter");
  // Autotask refuses an unfiltered query; clients ask for everything with id gte 0.
  if (filter == nullptr || !filter->is_array() || filter->as_array().empty()) {
    return bad("A query requires at least one filter.");
  }
  size_t count = 0;
  for (const Value& item : filter->as_array()) {
    auto f = parse_filter(entity, item, 0, count);
    if (!f) return f.error();
    q.filter.push_back(std::move(f).value());
  }
  return q;
}

bool at_matches(const AtEntity& entity, const std::vector<AtFilter>& filter, const Value& record) {
  for (const auto& f : filter) {
    if (!eval(entity, f, record)) return false;
  }
  return true;
}

Value at_query_json(const AtQuery& query) {
  Value::Array include;
  for (const auto& f : query.include_fields) include.emplace_back(f);
  Value::Array filter;
  for (const auto& f : query.filter) filter.push_back(filter_json(f));
  return Value::Object{{"MaxRecords", query.max_records},
                       {"IncludeFields", Value(std::move(include))},
                       {"Filter", Value(std::move(filter))}};
}

}  // namespace switchyard::sandbox
