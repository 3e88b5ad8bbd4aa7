#include "connectors/autotask/errors.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/text.h"
#include "connectors/autotask/error_words.h"

namespace switchyard::connectors::autotask {
namespace {

constexpr size_t kMaxMessages = 5;
constexpr size_t kMaxDetail = 300;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Every message of {"errors": ["..."]}, as sent.
std::vector<std::string> messages_of(std::string_view body) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array errors;
  if (parser.parse(body).get(root) != simdjson::SUCCESS || root["errors"].get(errors) != simdjson::SUCCESS) return out;
  for (simdjson::dom::element e : errors) {
    std::string_view message;
    if (e.get(message) == simdjson::SUCCESS && !message.empty()) out.emplace_back(valid_utf8(message));
    if (out.size() == kMaxMessages) break;
  }
  return out;
}

bool mentions(const std::vector<std::string>& messages, std::initializer_list<std::string_view> words) {
  for (const auto& m : messages) {
    const std::string text = lower(m);
    for (std::string_view w : words) {
      if (text.find(w) != std::string::npos) return true;
    }
  }
  return false;
}

// One message with everything that may be a value taken out: a quoted run becomes '…', and a
// word is kept only when it is one of Autotask's message words or a field name
// (error_words.h), else it becomes … (consecutive ones merge). Words are joined by one space.
std::string redact(std::string_view message) {
  std::vector<std::string> out;
  const auto take_out = [&](std::string token) {
    if (token == "…" && !out.empty() && out.back() == "…") return;
    out.push_back(std::move(token));
  };
  for (size_t i = 0; i < message.size();) {
    const char c = message[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      const size_t close = message.find(c, i + 1);
      if (close != std::string_view::npos) {
        take_out(std::string(1, c) + "…" + std::string(1, c));
        i = close + 1;
        continue;
      }
    }
    size_t end = i;
    while (end < message.size() && !std::isspace(static_cast<unsigned char>(message[end]))) ++end;
    const std::string_view word = message.substr(i, end - i);
    i = end;
    // Punctuation around the word ("(Ticket).", "Field:") is kept; the word itself is checked.
    size_t first = 0, last = word.size();
    while (first < last && std::ispunct(static_cast<unsigned char>(word[first]))) ++first;
    while (last > first && std::ispunct(static_cast<unsigned char>(word[last - 1]))) --last;
    const std::string_view core = word.substr(first, last - first);
    if (core.empty() || is_error_message_word(core)) {
      take_out(std::string(word));
    } else {
      take_out(std::string(word.substr(0, first)) + "…" + std::string(word.substr(last)));
    }
  }
  std::string joined;
  for (const auto& token : out) {
    if (!joined.empty()) joined += ' ';
    joined += token;
  }
  return joined;
}

}  // namespace

std::string redacted_messages(std::string_view body) {
  std::string out;
  for (const auto& m : messages_of(body)) {
    if (!out.empty()) out += "; ";
    out += redact(m);
  }
  return utf8_prefix(out, kMaxDetail);
}

ErrorKind kind_of_error(const http::ClientResponse& r) {
  if (r.status == 401) return ErrorKind::BadSecret;
  if (r.status == 403) return ErrorKind::Forbidden;
  if (r.status == 404) return ErrorKind::NotFound;
  if (r.status == 429) return ErrorKind::Throttled;
  const auto messages = messages_of(r.body);
  if (r.status == 500 && !messages.empty()) {
    // Autotask's 500 for authentication (docs/psa/autotask.md): read the message.
    if (mentions(messages, {"integrationcode", "integration code", "tracking identifier"})) return ErrorKind::BadIntegration;
    if (mentions(messages, {"zone"})) return ErrorKind::WrongZone;
    if (mentions(messages, {"username", "user name", "api user", "unable to authenticate", "not authenticated"})) {
      return ErrorKind::NotApiUser;
    }
    return ErrorKind::Validation;
  }
  if (r.status >= 500) return ErrorKind::ServerFault;
  return ErrorKind::Other;
}

std::string explain_error(const http::ClientResponse& r, std::string_view what_view) {
  const std::string what(what_view);
  const std::string status = std::to_string(r.status);
  switch (kind_of_error(r)) {
    case ErrorKind::BadSecret:
      return "Autotask refused the API user's secret (401) for " + what +
             ": check credentials.secret (Admin › Account Settings & Users › Resources/Users › the API user › "
             "Security › Generate Key/Secret; the secret is shown once)";
    case ErrorKind::NotApiUser:
      return "Autotask does not accept credentials.username as an API user (" + status + ") for " + what +
             ": check the user name (the API user's e-mail address) and that its security level is "
             "API User (system) (Admin › Account Settings & Users › Resources/Users)";
    case ErrorKind::BadIntegration:
      return "Autotask refused the API tracking identifier (" + status + ") for " + what +
             ": check credentials.integration_code (the API user's Security tab › API Tracking Identifier: "
             "Custom (Internal Integration) or the vendor's integration)";
    case ErrorKind::WrongZone:
      return "the API user belongs to another Autotask zone than base_url (" + status + ") for " + what +
             ": set base_url to the zone zoneInformation names for the user, or leave it out to discover it";
    case ErrorKind::Forbidden:
      return "the API user's security level does not allow " + what +
             " (403): grant it under Admin › Account Settings & Users › Security Levels";
    case ErrorKind::NotFound:
      return "Autotask has no such record for " + what + " (404): it was deleted, or an id is wrong";
    case ErrorKind::Validation: {
      const std::string said = redacted_messages(r.body);
      return "Autotask refused " + what + " (" + status + ")" + (said.empty() ? "" : ": " + said);
    }
    case ErrorKind::Throttled:
      return "Autotask is throttling requests (429) for " + what + "; retried after its Retry-After";
    case ErrorKind::ServerFault:
      return "Autotask failed (" + status + ") for " + what + "; retried with back-off";
    case ErrorKind::Other:
      break;
  }
  const std::string said = redacted_messages(r.body);
  return "Autotask answered " + status + " to " + what + (said.empty() ? "" : ": " + said);
}

WriteOutcome outcome_of_error(const http::ClientResponse& r, std::string_view what) {
  std::string detail = explain_error(r, what);
  switch (kind_of_error(r)) {
    case ErrorKind::BadSecret:
    case ErrorKind::NotApiUser:
    case ErrorKind::BadIntegration:
    case ErrorKind::WrongZone:
    case ErrorKind::Throttled:
    case ErrorKind::ServerFault:
      return WriteOutcome::retryable(std::move(detail), r.status, retry_after_of(r));
    case ErrorKind::Validation:
    case ErrorKind::Forbidden:
    case ErrorKind::NotFound:
      return WriteOutcome::rejected(std::move(detail), r.status);
    case ErrorKind::Other:
      break;
  }
  if (is_retryable_status(r.status)) return WriteOutcome::retryable(std::move(detail), r.status, retry_after_of(r));
  return WriteOutcome::rejected(std::move(detail), r.status);
}

}  // namespace switchyard::connectors::autotask
