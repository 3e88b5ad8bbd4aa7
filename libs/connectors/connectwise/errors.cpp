#include "connectors/connectwise/errors.h"

#include <simdjson.h>

#include "common/text.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr size_t kMaxFields = 8;
constexpr size_t kMaxName = 64;

// ConnectWise's field codes, as a sentence ends.
std::string_view said_of(std::string_view code) {
  if (code == "MissingRequiredField") return "is required";
  if (code == "MaxLengthField") return "is too long";
  if (code == "InvalidField" || code == "InvalidObject") return "has a value ConnectWise does not accept";
  if (code == "NotFound" || code == "ObjectNotFound") return "names a record that does not exist";
  if (code == "ObjectExists" || code == "Duplicate") return "is already used by another record";
  return "was refused";
}

// "summary is too long; company is required" from {"errors":[{"code","field",...}]}; names and
// codes only, bounded and made printable.
std::string field_errors(std::string_view body, std::string& top_code) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return {};
  std::string_view code;
  if (root["code"].get(code) == simdjson::SUCCESS) top_code = utf8_prefix(valid_utf8(code), kMaxName);
  simdjson::dom::array errors;
  if (root["errors"].get(errors) != simdjson::SUCCESS) return {};
  std::string out;
  size_t n = 0;
  for (simdjson::dom::element e : errors) {
    if (n++ == kMaxFields) {
      out += "; and more";
      break;
    }
    std::string_view field, field_code;
    if (e["field"].get(field) != simdjson::SUCCESS || field.empty()) field = "a field";
    if (e["code"].get(field_code) != simdjson::SUCCESS) field_code = {};
    if (!out.empty()) out += "; ";
    out += utf8_prefix(valid_utf8(field), kMaxName) + " " + std::string(said_of(field_code));
    if (!field_code.empty()) out += " (" + utf8_prefix(valid_utf8(field_code), kMaxName) + ")";
  }
  return out;
}

}  // namespace

std::string explain_error(const http::ClientResponse& r, std::string_view what, std::string_view grant) {
  const std::string status = std::to_string(r.status);
  switch (r.status) {
    case 400: {
      std::string code;
      const std::string fields = field_errors(r.body, code);
      return "ConnectWise refused " + std::string(what) + " (400" + (code.empty() ? "" : " " + code) + ")" +
             (fields.empty() ? "" : ": " + fields);
    }
    case 401:
      return "ConnectWise refused the API keys while " + std::string(what) +
             " (401): check credentials.company_id, public_key, private_key and client_id "
             "(System › Members › API Members)";
    case 403:
      return "the API member's security role does not allow " + std::string(what) +
             " (403): under System › Security Roles, grant " + std::string(grant);
    case 404:
      return "ConnectWise has no such record while " + std::string(what) + " (404): it was deleted, or an id is wrong";
    case 429:
      return "ConnectWise is throttling requests (429) while " + std::string(what) + "; retried after its Retry-After";
    default:
      if (r.status >= 500) {
        return "ConnectWise failed (" + status + ") while " + std::string(what) + "; retried with back-off";
      }
      return "ConnectWise answered " + status + " while " + std::string(what);
  }
}

WriteOutcome outcome_of_error(const http::ClientResponse& r, std::string_view what, std::string_view grant) {
  std::string detail = explain_error(r, what, grant);
  // Keys are fixed by the operator and come back: retried (and dead-lettered only after the
  // attempts), like throttling and server faults; the rest will not change by trying again.
  if (r.status == 401 || is_retryable_status(r.status)) {
    return WriteOutcome::retryable(std::move(detail), r.status, retry_after_of(r));
  }
  return WriteOutcome::rejected(std::move(detail), r.status);
}

}  // namespace switchyard::connectors::connectwise
