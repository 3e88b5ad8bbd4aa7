#include "ingest/erasure_request.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace switchyard::ingest {
namespace {

constexpr size_t kMaxContactId = 64;
constexpr size_t kMaxEmail = 254;  // RFC 5321's path limit, less the brackets
constexpr size_t kMaxLocalPart = 64;

Error invalid(std::string message) { return make_error("invalid_request", std::move(message)); }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

bool valid_contact_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxContactId && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool valid_email(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmail) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > kMaxLocalPart || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == ',';
  });
}

Result<ErasureSubject> parse_erasure_request(std::string_view body) {
  if (body.size() > kMaxErasureBody) {
    return invalid("the body must be at most " + std::to_string(kMaxErasureBody) + " bytes");
  }
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(body.data(), body.size()).get(obj) != simdjson::SUCCESS) {
    return invalid("the body must be a JSON object: {\"contact_id\": \"...\"} and/or {\"email\": \"...\"}");
  }
  ErasureSubject subject;
  for (auto [key, value] : obj) {
    if (key == "contact_id") {
      std::string_view text;
      uint64_t number = 0;
      if (value.get(text) == simdjson::SUCCESS) {
        subject.contact_id = std::string(trimmed(text));
      } else if (value.get(number) == simdjson::SUCCESS) {
        subject.contact_id = std::to_string(number);
      } else {
        return invalid("contact_id: must be a string or a non-negative integer");
      }
      if (!valid_contact_id(subject.contact_id)) {
        return invalid("contact_id: must be 1-64 characters of A-Z, a-z, 0-9, '-', '_' or '.'");
      }
    } else if (key == "email") {
      std::string_view text;
      if (value.get(text) != simdjson::SUCCESS) return invalid("email: must be a string");
      subject.email = std::string(trimmed(text));
      std::transform(subject.email.begin(), subject.email.end(), subject.email.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      // Never the value itself in the message: it is personal data.
      if (!valid_email(subject.email)) return invalid("email: not a valid e-mail address (at most 254 characters)");
    } else {
      return invalid("unknown member \"" + std::string(key.substr(0, 32)) + "\": only contact_id and email are accepted");
    }
  }
  if (subject.contact_id.empty() && subject.email.empty()) {
    return invalid("give contact_id, email or both");
  }
  return subject;
}

}  // namespace switchyard::ingest
