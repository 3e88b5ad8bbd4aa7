#include "connectors/connectwise/write_calls.h"

#include <simdjson.h>

#include <functional>

#include "common/json_read.h"
#include "connectors/connectwise/errors.h"

namespace switchyard::connectors::connectwise {

Call send(PsaHttp& psa, const Tenant& t, std::string method, const std::string& path, std::string body,
          const WriteContext& context) {
  http::Headers headers = auth_headers(t);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  auto r = psa.send({.method = std::move(method), .url = t.base_url + path, .headers = std::move(headers),
                     .body = std::move(body)});
  if (!r) {
    if (r.error().code == "throttled" || r.error().code == "shutting_down") {
      return {std::nullopt, WriteOutcome::retryable(r.error().message)};
    }
    return {std::nullopt,
            WriteOutcome::retryable("ConnectWise could not be reached while " + std::string(context.what) + ": " +
                                    r.error().message)};
  }
  if (r->status >= 200 && r->status < 300) return {std::move(*r), std::nullopt};
  return {std::nullopt, outcome_of_error(*r, context.what, context.grant)};
}

std::string condition_string(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::optional<std::string> id_of(const http::ClientResponse& response) {
  simdjson::dom::parser parser;
  simdjson::dom::element id;
  if (parser.parse(response.body)["id"].get(id) != simdjson::SUCCESS) return std::nullopt;
  auto text = json::id_string(id, "id");
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

namespace {

// The id of the first record of the list answer to GET `path`?`query` that `matches` accepts.
std::optional<std::string> first_match(PsaHttp& psa, const Tenant& t, const std::string& path,
                                       const std::string& query, const WriteContext& context,
                                       std::optional<WriteOutcome>& failure,
                                       const std::function<bool(simdjson::dom::element)>& matches) {
  auto call = send(psa, t, "GET", path + "?" + query, "", context);
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(call.response->body).get(list) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("ConnectWise's answer to " + path + " is not a list");
    return std::nullopt;
  }
  for (simdjson::dom::element item : list) {
    simdjson::dom::element id;
    if (!matches(item) || item["id"].get(id) != simdjson::SUCCESS) continue;
    if (auto text = json::id_string(id, "id")) return *text;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_id(PsaHttp& psa, const Tenant& t, const std::string& path,
                                   const std::string& conditions, const WriteContext& context,
                                   std::optional<WriteOutcome>& failure) {
  return first_match(psa, t, path, "fields=id&pageSize=1&orderBy=id%20asc&conditions=" + http::url_encode(conditions),
                     context, failure, [](simdjson::dom::element) { return true; });
}

std::optional<std::string> find_marked(PsaHttp& psa, const Tenant& t, const std::string& path, std::string_view field,
                                       const std::string& marker, const WriteContext& context,
                                       std::optional<WriteOutcome>& failure) {
  const std::string name(field);
  return first_match(psa, t, path,
                     "fields=id," + name + "&pageSize=1000&conditions=" +
                         http::url_encode(name + " contains " + condition_string(marker)),
                     context, failure, [&](simdjson::dom::element item) {
                       std::string_view text;
                       return item[name].get(text) == simdjson::SUCCESS && text.find(marker) != std::string_view::npos;
                     });
}

std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure) {
  if (auto id = memo.lookup(t, "ticket", ref)) return id;
  auto id = find_id(psa, t, "/service/tickets", "externalXRef = " + condition_string(ref),
                    {"looking the ticket up by its external reference", kTicketsGrant}, failure);
  if (id) memo.remember(t, "ticket", ref, *id);
  return id;
}

}  // namespace switchyard::connectors::connectwise
