#include "connectors/kaseya_v2/v2_api.h"

#include "common/crypto.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_v2 {

const Resource* resource_of(std::string_view canonical_type) {
  // Lists and filters as the BMS spec declares them (docs/psa/kaseya-bms.md, "Polling"): only
  // the ticket and account lists take a change filter, and only their records carry a time.
  static const Resource kResources[] = {
      {"ticket", "servicedesk/tickets", "Filter.LastActivityUpdateFrom", "LastActivityUpdate", "servicedesk/tickets",
       "tickets", "Service Desk > Tickets"},
      {"company", "crm/accounts/summary", "Filter.ModifiedOnFrom", "ModifiedOn", "crm/accounts/summary", "accounts",
       "CRM > Accounts"},
      {"contact", "crm/contacts/search", "", "", "", "contacts", "CRM > Contacts"},
      {"agreement", "finance/contracts/summary", "", "", "", "contracts", "Finance > Contracts"},
      {"configuration", "servicedesk/hardwareasset/searchselect", "", "", "servicedesk/hardwareasset",
       "hardware assets", "Service Desk > Hardware Assets"},
  };
  for (const Resource& r : kResources) {
    if (r.canonical == canonical_type) return &r;
  }
  return nullptr;
}

std::string api_url(const Tenant& tenant, std::string_view path) {
  std::string url = tenant.base_url;
  url.append("/v2/").append(path);
  return url;
}

namespace {

// Fills detail and retryable from a status (HTTP, or the envelope's Error.Code inside a 200).
void explain(Answer& a, const Flavor& flavor, std::string_view what, std::string_view permission, bool in_envelope) {
  const std::string code = std::to_string(a.code);
  std::string& out = a.detail;
  out.append(flavor.product);
  switch (a.code) {
    case 400:
    case 422:
      out.append(" refused ").append(what).append(" (").append(code)
          .append("): a value sent is not one the instance accepts (check the mapping tables)");
      break;
    case 401:
    case 403:
      out.append(" refused ").append(what).append(" (").append(code).append("): the API user's role lacks ")
          .append(permission).append(" access; grant it under ").append(flavor.roles_screen);
      break;
    case 404:
      out.append(" has no such record while ").append(what).append(" (404): it was deleted, or an id is wrong");
      break;
    case 429:
      out.append(" is throttling requests (429) while ").append(what)
          .append(": it allows 1,500 calls an hour per endpoint; retried later");
      a.retryable = true;
      break;
    default:
      if (a.code >= 500) {
        out.append(" failed (").append(code).append(") while ").append(what).append("; retried with back-off");
        a.retryable = true;
      } else {
        out.append(" answered ").append(code).append(" while ").append(what);
      }
  }
  if (in_envelope) out.append(" (reported inside an HTTP 200 answer)");
}

}  // namespace

Answer read_answer(simdjson::dom::parser& parser, const http::ClientResponse& response, const Flavor& flavor,
                   std::string_view what, std::string_view permission) {
  Answer a;
  a.status = response.status;
  a.code = response.status;
  if (response.status != 200) {
    explain(a, flavor, what, permission, false);
    if (response.status == 429) a.retry_after = retry_after_of(response);
    return a;
  }
  simdjson::dom::element root;
  simdjson::dom::object body;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS || root.get(body) != simdjson::SUCCESS) {
    a.detail.append(flavor.product).append(" answered ").append(what).append(" with something that is not a v2 envelope");
    return a;
  }
  const auto success = flag(body, "Success");
  if (!success || !*success) {
    // An error inside a 200: the envelope's code says what kind (400, 401, 404, 500, ...).
    a.code = 0;
    if (const auto error = object_of(body, "Error")) {
      if (const auto code = number(*error, "Code"); code && *code >= 100 && *code < 600) a.code = static_cast<int>(*code);
    }
    if (a.code == 0) {
      a.detail.append(flavor.product).append(" reported a failure while ").append(what)
          .append(" (inside an HTTP 200 answer, without an error code)");
      return a;
    }
    explain(a, flavor, what, permission, true);
    return a;
  }
  const auto result = field(body, "Result");
  if (!result) {
    a.detail.append(flavor.product).append(" answered ").append(what).append(" without a Result");
    return a;
  }
  a.ok = true;
  a.result = *result;
  if (const auto total = number(body, "TotalRecords"); total && *total >= 0) a.total = static_cast<int64_t>(*total);
  return a;
}

WriteOutcome outcome_of(const Answer& answer) {
  if (answer.retryable) return WriteOutcome::retryable(answer.detail, answer.status, answer.retry_after);
  return WriteOutcome::rejected(answer.detail, answer.status);
}

std::string version_of(const Resource& resource, simdjson::dom::object record, std::string_view raw) {
  for (std::string_view key : {resource.change_field, std::string_view("ModifiedOn")}) {
    if (key.empty()) continue;
    if (const auto changed = text(record, key)) {
      if (auto time = v2_time(*changed)) return *time;
    }
  }
  std::string version = "sha256:";
  version.append(crypto::sha256_hex(raw).substr(0, 32));
  return version;
}

}  // namespace switchyard::connectors::kaseya_v2
