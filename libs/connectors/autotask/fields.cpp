// Reading Autotask's JSON: ids and picklist values as text, times as RFC 3339 UTC, the change
// version, references, the address and user-defined fields (fields.h).
#include "connectors/autotask/fields.h"

#include <cmath>
#include <cstdlib>

#include "common/time_format.h"
#include "connectors/custom_fields.h"

namespace switchyard::connectors::autotask {

using simdjson::dom::object;

std::string_view canonical_type_of(std::string_view entity_type) {
  if (entity_type == "Ticket" || entity_type == "Tickets") return "ticket";
  if (entity_type == "Company" || entity_type == "Companies") return "company";
  return {};
}

// Autotask sends ids and picklist values as numbers; canonical keeps them as strings.
std::optional<std::string> text_of(object obj, std::string_view key) {
  simdjson::dom::element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t n;
  if (v.get(n) == simdjson::SUCCESS) return std::to_string(n);
  return std::nullopt;
}

// Canonical timestamps: RFC 3339 UTC, seconds.
std::optional<std::string> time_of(object obj, std::string_view key) {
  auto text = text_of(obj, key);
  if (!text) return std::nullopt;
  auto normalized = normalize_rfc3339(*text);
  return normalized ? std::optional<std::string>(*normalized) : std::nullopt;
}

// A change's version keeps milliseconds: Autotask stamps changes to the millisecond, and two
// updates in one second are two changes (their versions, hence idempotency keys, must differ).
std::optional<std::string> version_of(object obj) {
  auto text = text_of(obj, "lastActivityDate");
  if (!text) return std::nullopt;
  auto parsed = parse_rfc3339(*text);
  return parsed ? std::optional<std::string>(format_rfc3339_utc(*parsed)) : std::nullopt;
}

std::string_view change_field(std::string_view type) {
  if (type == "ticket" || type == "company") return "lastActivityDate";
  if (type == "contact") return "lastModifiedDate";
  if (type == "agreement") return "lastModifiedDateTime";
  if (type == "configuration") return "lastModifiedTime";
  return {};
}

std::optional<std::string> version_of(object obj, std::string_view type) {
  const std::string_view field = change_field(type);
  if (field.empty()) return std::nullopt;
  auto text = text_of(obj, field);
  if (!text) return std::nullopt;
  auto parsed = parse_rfc3339(*text);
  return parsed ? std::optional<std::string>(format_rfc3339_utc(*parsed)) : std::nullopt;
}

std::optional<std::string> date_of(object obj, std::string_view key) {
  auto text = text_of(obj, key);
  if (!text || text->size() < 10) return std::nullopt;
  std::string date = text->substr(0, 10);
  if (!is_valid_date(date)) return std::nullopt;
  return date;
}

std::optional<double> number_of(object obj, std::string_view key) {
  simdjson::dom::element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  double d = 0;
  if (v.get(d) == simdjson::SUCCESS) return d;
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS || s.empty() || s.size() > 40) return std::nullopt;
  const std::string text(s);
  char* end = nullptr;
  d = std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0' || !std::isfinite(d)) return std::nullopt;
  return d;
}

bool flag_of(object obj, std::string_view key, bool fallback) {
  simdjson::dom::element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return fallback;
  bool b = false;
  if (v.get(b) == simdjson::SUCCESS) return b;
  int64_t n = 0;
  if (v.get(n) == simdjson::SUCCESS) return n != 0;
  return fallback;
}

// userDefinedFields: [{"name": "Region", "value": "EU"}, ...] → custom_fields, JSON types kept.
void read_user_defined_fields(object r, canonical::RecordBase& base) {
  simdjson::dom::array fields;
  if (r["userDefinedFields"].get(fields) == simdjson::SUCCESS) read_custom_fields(fields, "name", base.custom_fields);
}

std::optional<canonical::Ref> ref_of(object obj, std::string_view key) {
  auto id = text_of(obj, key);
  if (!id) return std::nullopt;
  if (*id == "0" && key != "companyID") return std::nullopt;  // 0 means "none", except Autotask's own company
  return canonical::Ref{*id, std::nullopt};
}

// address1, address2, city, state, postalCode, countryID: the company's address. Autotask sends
// the country as its own id (a Countries entity), published as is.
std::optional<canonical::Address> address_of(object r) {
  canonical::Address a;
  for (std::string_view key : {"address1", "address2"}) {
    auto line = text_of(r, key);
    if (line && !line->empty()) a.street_lines.push_back(*line);
  }
  a.city = text_of(r, "city");
  a.region = text_of(r, "state");
  a.postal_code = text_of(r, "postalCode");
  if (auto country = ref_of(r, "countryID")) a.country = country->id;
  if (a.empty()) return std::nullopt;
  return a;
}

}  // namespace switchyard::connectors::autotask
