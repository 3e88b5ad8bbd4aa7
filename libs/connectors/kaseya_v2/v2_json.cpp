#include "connectors/kaseya_v2/v2_json.h"

#include <algorithm>
#include <cctype>

#include "common/time_format.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr size_t kMaxId = 64;

}  // namespace

std::optional<simdjson::dom::element> field(simdjson::dom::object obj, std::string_view key) {
  for (auto [k, v] : obj) {
    if (same_key(k, key)) {
      if (v.is_null()) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

std::optional<std::string> text(simdjson::dom::object obj, std::string_view key) {
  const auto value = field(obj, key);
  std::string_view s;
  if (!value || value->get(s) != simdjson::SUCCESS || s.empty()) return std::nullopt;
  return std::string(s);
}

std::optional<std::string> id_text(simdjson::dom::object obj, std::string_view key) {
  const auto value = field(obj, key);
  if (!value) return std::nullopt;
  int64_t n = 0;
  if (value->get(n) == simdjson::SUCCESS) return n > 0 ? std::optional<std::string>(std::to_string(n)) : std::nullopt;
  uint64_t u = 0;
  if (value->get(u) == simdjson::SUCCESS) return u > 0 ? std::optional<std::string>(std::to_string(u)) : std::nullopt;
  std::string_view s;
  if (value->get(s) != simdjson::SUCCESS || s.empty() || s.size() > kMaxId) return std::nullopt;
  return std::string(s);
}

std::optional<double> number(simdjson::dom::object obj, std::string_view key) {
  const auto value = field(obj, key);
  double d = 0;
  if (!value || !value->is_number() || value->get(d) != simdjson::SUCCESS) return std::nullopt;
  return d;
}

std::optional<bool> flag(simdjson::dom::object obj, std::string_view key) {
  const auto value = field(obj, key);
  bool b = false;
  if (!value) return std::nullopt;
  if (value->get(b) == simdjson::SUCCESS) return b;
  int64_t n = 0;  // some v2 DTOs carry flags as 0/1 integers
  if (value->get(n) == simdjson::SUCCESS && (n == 0 || n == 1)) return n == 1;
  return std::nullopt;
}

std::optional<simdjson::dom::object> object_of(simdjson::dom::object obj, std::string_view key) {
  const auto value = field(obj, key);
  simdjson::dom::object o;
  if (!value || value->get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

std::optional<std::string> v2_time(std::string_view text) {
  if (text.size() < 19 || text.size() > 40) return std::nullopt;
  const bool zoned = text.back() == 'Z' || text.back() == 'z' || text.substr(19).find_first_of("+-") != std::string_view::npos;
  std::string full(text);
  if (!zoned) full.push_back('Z');
  auto parsed = parse_rfc3339(full);
  if (!parsed) return std::nullopt;
  // Milliseconds kept when the PSA stamps them: two changes in one second are two versions.
  const bool fraction = text.size() > 19 && text[19] == '.';
  return fraction ? format_rfc3339_utc(*parsed) : format_rfc3339_utc_seconds(*parsed);
}

std::optional<std::string> v2_date(std::string_view text) {
  if (text.size() < 10 || text.size() > 40) return std::nullopt;
  std::string date(text.substr(0, 10));
  if (!is_valid_date(date)) return std::nullopt;
  return date;
}

}  // namespace switchyard::connectors::kaseya_v2
