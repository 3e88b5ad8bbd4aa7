#include "common/trace.h"

#include <algorithm>

#include "common/crypto.h"

namespace switchyard {

std::string new_trace_id() { return crypto::random_hex(16); }

bool is_trace_id(std::string_view id) {
  return id.size() == 32 && std::ranges::all_of(id, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) &&
         id.find_first_not_of('0') != std::string_view::npos;
}

std::string trace_id_from_traceparent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') return {};
  if (header.substr(0, 2) == "ff") return {};  // version ff is forbidden
  const std::string_view id = header.substr(3, 32);
  return is_trace_id(id) ? std::string(id) : std::string();
}

}  // namespace switchyard
