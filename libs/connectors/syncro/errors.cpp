#include "connectors/syncro/errors.h"

namespace switchyard::connectors::syncro {

std::string explain_error(const http::ClientResponse& r, std::string_view what, std::string_view permission) {
  std::string out;
  const std::string status = std::to_string(r.status);
  switch (r.status) {
    case 400:
    case 422:
      out.append("Syncro refused ").append(what).append(" (").append(status)
          .append("): a value sent is not one the account accepts");
      break;
    case 401:
    case 403:
      // Syncro answers 401 both for a wrong token and for a missing permission (the spec's
      // "Requires permission" answers are 401s).
      out.append("Syncro refused the API token while ").append(what).append(" (").append(status)
          .append("): check credentials.api_token is a current token, and under Admin > API Tokens give it the permission ")
          .append(permission);
      break;
    case 404:
      out.append("Syncro has no such record while ").append(what).append(" (404): it was deleted, or an id is wrong");
      break;
    case 429:
      out.append("Syncro is throttling requests (429) while ").append(what)
          .append(": it allows 180 requests a minute per calling address; retried later");
      break;
    default:
      if (r.status >= 500) {
        out.append("Syncro failed (").append(status).append(") while ").append(what).append("; retried with back-off");
      } else {
        out.append("Syncro answered ").append(status).append(" while ").append(what);
      }
  }
  return out;
}

WriteOutcome outcome_of_error(const http::ClientResponse& r, std::string_view what, std::string_view permission) {
  std::string detail = explain_error(r, what, permission);
  if (is_retryable_status(r.status)) return WriteOutcome::retryable(std::move(detail), r.status, retry_after_of(r));
  return WriteOutcome::rejected(std::move(detail), r.status);
}

}  // namespace switchyard::connectors::syncro
