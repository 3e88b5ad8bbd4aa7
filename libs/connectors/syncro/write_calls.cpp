#include "connectors/syncro/write_calls.h"

#include <simdjson.h>

#include "connectors/syncro/errors.h"
#include "connectors/syncro/syncro_connector.h"

namespace switchyard::connectors::syncro {

Call send(PsaHttp& psa, const Tenant& t, std::string method, std::string_view path, std::string body,
          std::string_view what, std::string_view permission) {
  http::ClientRequest request;
  request.method = std::move(method);
  request.url = api_url(t, path);
  request.headers = api_headers(t);
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  auto answer = psa.send(request);
  if (!answer) {
    std::string detail = "Syncro could not be reached while ";
    detail.append(what).append(": ").append(answer.error().message);
    return {std::nullopt, WriteOutcome::retryable(std::move(detail))};
  }
  if (answer->status < 200 || answer->status > 299) return {std::nullopt, outcome_of_error(*answer, what, permission)};
  return {std::move(*answer), std::nullopt};
}

std::optional<std::string> member_id_of(const http::ClientResponse& answer, std::string_view member) {
  simdjson::dom::parser parser;
  int64_t id = 0;
  if (parser.parse(answer.body)[member]["id"].get(id) != simdjson::SUCCESS || id < 1) return std::nullopt;
  return std::to_string(id);
}

std::string reference_tag(std::string_view external_ref) {
  std::string tag = "sy-ref:";
  tag.append(external_ref);
  return tag;
}

std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure) {
  if (auto id = memo.lookup(t, "ticket", ref)) return id;
  const std::string tag = reference_tag(ref);
  std::string path = "tickets?query=";
  path.append(http::url_encode(tag));
  auto call = send(psa, t, "GET", path, "", "looking the ticket up by its reference tag", "Tickets - List/Search");
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array tickets;
  if (parser.parse(call.response->body)["tickets"].get(tickets) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("Syncro's ticket search answered without a tickets list");
    return std::nullopt;
  }
  for (simdjson::dom::element ticket : tickets) {
    simdjson::dom::array tags;
    int64_t id = 0;
    if (ticket["tag_list"].get(tags) != simdjson::SUCCESS || ticket["id"].get(id) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element tag_value : tags) {
      std::string_view text;
      if (tag_value.get(text) == simdjson::SUCCESS && text == tag) {
        memo.remember(t, "ticket", ref, std::to_string(id));
        return std::to_string(id);
      }
    }
  }
  return std::nullopt;
}

}  // namespace switchyard::connectors::syncro
