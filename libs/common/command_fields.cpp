#include "common/command_fields.h"

#include <algorithm>

#include "common/text.h"
#include "common/time_format.h"

namespace switchyard::command_fields {

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool is_id(std::string_view s, size_t max) {
  return !s.empty() && s.size() <= max && std::ranges::all_of(s, is_id_char);
}

namespace {

bool is_tenant_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

void check(json::ObjectReader& r, bool valid, std::string_view key, std::string_view problem) {
  if (r.ok() && !valid) r.fail(json::invalid_field(r.field(key), problem));
}

void check_length(json::ObjectReader& r, std::string_view key, const std::string& value, size_t min, size_t max) {
  const size_t n = utf8_length(value);
  check(r, n >= min && n <= max, key,
        "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters");
}

void required_id(json::ObjectReader& r, std::string_view key, std::string& out) {
  if (!r.ok()) return;
  auto id = json::required_id(r.object(), key, r.path());
  if (!id) return r.fail(id.error());
  out = std::move(*id);
}

void optional_id(json::ObjectReader& r, std::string_view key, std::optional<std::string>& out) {
  if (!r.ok()) return;
  auto id = json::optional_id(r.object(), key, r.path());
  if (!id) return r.fail(id.error());
  out = std::move(*id);
}

Result<Header> read_header(simdjson::dom::object obj) {
  json::ObjectReader r(obj, "");
  Header h;
  std::optional<int64_t> version;
  std::optional<std::string> issued_at;
  r.optional("command_version", version);
  check(r, !version || *version == 1, "command_version", "must be 1");
  r.required("id", h.id);
  check(r, is_id(h.id), "id", "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
  r.required("tenant", h.tenant);
  check(r, !h.tenant.empty() && h.tenant.size() <= kMaxTenantLength && std::ranges::all_of(h.tenant, is_tenant_char),
        "tenant", "must be 1 to 64 characters of a-z 0-9 _ -");
  r.required("type", h.type);
  r.optional("issued_at", issued_at);
  check(r, !issued_at || parse_rfc3339(*issued_at).ok(), "issued_at", "must be an RFC 3339 timestamp");
  if (!r.ok()) return r.error();
  if (issued_at) h.issued_at = std::move(*issued_at);
  return h;
}

Result<simdjson::dom::object> payload_object(simdjson::dom::object obj) {
  auto payload = json::required_object(obj, "payload", "");
  if (!payload) return payload.error();
  return *payload;
}

Result<simdjson::dom::object> parse_object(std::string_view json_text, std::string_view what) {
  // One parser per thread, reused: a parser allocates its buffers on first use.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json_text.data(), json_text.size()).get(root)) {
    return make_error("invalid_json", std::string(what) + ": " + simdjson::error_message(error));
  }
  if (root.type() != simdjson::dom::element_type::OBJECT) {
    return make_error("invalid_json", std::string(what) + ": must be a JSON object");
  }
  return root.get_object().value_unsafe();
}

}  // namespace switchyard::command_fields
