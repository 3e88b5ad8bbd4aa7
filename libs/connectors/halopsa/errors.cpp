#include "connectors/halopsa/errors.h"

namespace switchyard::connectors::halopsa {

std::string explain_error(const http::ClientResponse& r, std::string_view what, std::string_view permission) {
  std::string out;
  const std::string status = std::to_string(r.status);
  switch (r.status) {
    case 400:
      out.append("HaloPSA refused ").append(what).append(" (400): a value sent is not one the instance accepts");
      break;
    case 401:
      out.append("HaloPSA refused the access token while ").append(what)
          .append(" (401): check the API application is active and credentials.client_id and client_secret");
      break;
    case 403:
      out.append("the HaloPSA API application may not do this while ").append(what)
          .append(" (403): under Configuration > Integrations > HaloPSA API > the application > Permissions, allow ")
          .append(permission);
      break;
    case 404:
      out.append("HaloPSA has no such record while ").append(what).append(" (404): it was deleted, or an id is wrong");
      break;
    case 409:
      out.append("HaloPSA refused ").append(what)
          .append(" (409): the record changed or is locked at the same time; check it in HaloPSA before sending again");
      break;
    case 422:
      out.append("HaloPSA could not accept ").append(what)
          .append(" (422): a value sent breaks one of the instance's rules (a required field, or an id it does not know)");
      break;
    case 429:
      out.append("HaloPSA is throttling requests (429) while ").append(what).append("; retried after its Retry-After");
      break;
    default:
      if (r.status >= 500) {
        out.append("HaloPSA failed (").append(status).append(") while ").append(what).append("; retried with back-off");
      } else {
        out.append("HaloPSA answered ").append(status).append(" while ").append(what);
      }
  }
  return out;
}

WriteOutcome outcome_of_error(const http::ClientResponse& r, std::string_view what, std::string_view permission) {
  std::string detail = explain_error(r, what, permission);
  // Credentials are fixed by the operator and come back: retried like throttling and faults.
  if (r.status == 401 || is_retryable_status(r.status)) {
    return WriteOutcome::retryable(std::move(detail), r.status, retry_after_of(r));
  }
  return WriteOutcome::rejected(std::move(detail), r.status);
}

}  // namespace switchyard::connectors::halopsa
