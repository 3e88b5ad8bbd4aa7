#include "common/http_types.h"

#include "common/activity.h"
#include "common/json_writer.h"
#include "common/reason_catalogue.h"
#include "common/text.h"

namespace switchyard::http {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::string Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    // Keys may be encoded too ("page%53ize" is rare but legal), so compare decoded.
    if (url_decode(key) != name) continue;
    return eq == std::string_view::npos ? std::string{} : url_decode(pair.substr(eq + 1));
  }
  return {};
}

Response error_response(int status, std::string_view code, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").begin_object();
  w.field("code", valid_utf8(code)).field("message", valid_utf8(message));
  // A code of the reason catalogue links to its entry: the cause and the steps to fix it.
  if (find_reason(code) != nullptr) w.field("help", troubleshooting_link(code));
  w.end_object().end_object();
  return json_response(status, w.take());
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

// Query-string semantics: '+' is a space (application/x-www-form-urlencoded). Malformed
// escapes are kept literally rather than rejected, like most servers do.
std::string url_decode(std::string_view s) { return percent_decode(s, /*plus_is_space=*/true); }

// Encodes everything but RFC 3986 unreserved characters, so the result is safe both in a
// path segment and in a query value.
std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace switchyard::http
