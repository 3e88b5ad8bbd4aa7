// Reading v2 API JSON (Kaseya BMS, Pulseway PSA). The spec writes PascalCase keys while client
// code against live instances reads camelCase ones (docs/psa/kaseya-bms.md, "Casing"), so every
// key is matched ignoring case. A member of the wrong type reads as absent: the mapper then
// says which required field is missing rather than guessing.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::connectors::kaseya_v2 {

// obj[key] matched ignoring case; nullopt when absent or null.
std::optional<simdjson::dom::element> field(simdjson::dom::object obj, std::string_view key);
// A non-empty string member.
std::optional<std::string> text(simdjson::dom::object obj, std::string_view key);
// An id: a positive integer or a non-empty string of at most 64 bytes, as text.
std::optional<std::string> id_text(simdjson::dom::object obj, std::string_view key);
std::optional<double> number(simdjson::dom::object obj, std::string_view key);
std::optional<bool> flag(simdjson::dom::object obj, std::string_view key);
std::optional<simdjson::dom::object> object_of(simdjson::dom::object obj, std::string_view key);

// v2 times ("2024-05-01T09:00:00", "2024-05-01T09:00:00.123Z", "+02:00") as canonical RFC 3339
// UTC (milliseconds kept when sent); a time without a zone is read as UTC (the spec names
// none). nullopt when not a time.
std::optional<std::string> v2_time(std::string_view text);
// "2024-05-01T00:00:00" → "2024-05-01"; nullopt when not a date.
std::optional<std::string> v2_date(std::string_view text);

}  // namespace switchyard::connectors::kaseya_v2
