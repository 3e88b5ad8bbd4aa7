#include "connectors/kaseya_v2/v2_write_calls.h"

#include <charconv>

#include "connectors/kaseya_v2/v2_connector.h"
#include "connectors/kaseya_v2/v2_json.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

std::optional<int64_t> as_int(std::string_view text) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

}  // namespace

Call send(const WriteContext& c, std::string method, std::string_view path, std::string body, std::string_view what,
          std::string_view permission) {
  http::ClientRequest request{.method = std::move(method), .url = api_url(c.tenant, path), .headers = json_headers()};
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
  }
  auto response = c.http.send(request);
  Call call;
  if (!response) {
    call.failure = WriteOutcome::retryable(response.error().message);
    return call;
  }
  simdjson::dom::parser parser;
  const Answer answer = read_answer(parser, *response, c.flavor, what, permission);
  if (!answer.ok) {
    call.failure = outcome_of(answer);
    return call;
  }
  call.result = simdjson::minify(answer.result);
  return call;
}

std::optional<std::string> id_of(const std::string& result) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(result).get(obj) != simdjson::SUCCESS) return std::nullopt;
  return id_text(obj, "Id");
}

std::string reference_marker(std::string_view external_ref) {
  std::string marker = "(sy-ref ";
  marker.append(external_ref).append(")");
  return marker;
}

std::optional<std::string> existing_ticket(const WriteContext& c, const std::string& ref,
                                           std::optional<WriteOutcome>& failure) {
  if (auto id = c.memo.lookup(c.tenant, "ticket", ref)) return id;
  const std::string marker = reference_marker(ref);
  std::string path = "servicedesk/tickets?PageNumber=1&PageSize=20&Filter.Details=";
  path.append(http::url_encode(marker));
  auto call = send(c, "GET", path, "", "searching for the ticket made before", "Service Desk > Tickets");
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array hits;
  if (parser.parse(*call.result).get(hits) != simdjson::SUCCESS) return std::nullopt;
  for (simdjson::dom::element hit : hits) {
    simdjson::dom::object ticket;
    if (hit.get(ticket) != simdjson::SUCCESS) continue;
    const auto details = text(ticket, "Details");
    auto id = id_text(ticket, "Id");
    // A free-text filter may match more than the marker: only an exact one counts.
    if (id && details && details->find(marker) != std::string::npos) {
      c.memo.remember(c.tenant, "ticket", ref, *id);
      return id;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> choice_id(const WriteContext& c, const std::optional<FieldChoice>& choice, std::string_view list,
                                 std::string_view kind, const MappingLookup& mappings,
                                 std::optional<WriteOutcome>& failure) {
  if (!choice || failure) return std::nullopt;
  if (choice->kind == FieldChoice::Kind::Id) {
    if (auto id = as_int(choice->value)) return id;
    failure = WriteOutcome::rejected("payload." + std::string(kind) + ": an id is a number");
    return std::nullopt;
  }
  std::string name = choice->value;
  if (choice->kind == FieldChoice::Kind::Canonical) {
    auto mapped = mappings.resolve(kind, choice->value);
    if (!mapped) {
      std::string detail = "payload.";
      detail.append(kind).append(": \"").append(choice->value).append("\" is not in the tenant's \"").append(kind)
          .append("\" mappings: add it, or send {\"label\": ...}");
      failure = WriteOutcome::rejected(std::move(detail));
      return std::nullopt;
    }
    name = *mapped;
  }
  std::string path = "system/";
  path.append(list).append("/lookup");
  auto call = send(c, "GET", path, "", "reading the ticket " + std::string(list), "Admin > Settings");
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(*call.result).get(items) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : items) {
      simdjson::dom::object entry;
      if (item.get(entry) != simdjson::SUCCESS || text(entry, "Name") != name) continue;
      if (auto id = id_text(entry, "Id")) return as_int(*id);
    }
  }
  std::string detail(c.flavor.product);
  detail.append(" has no ticket ").append(kind).append(" named \"").append(name)
      .append("\": check the tenant's \"").append(kind).append("\" mappings against the instance's names");
  failure = WriteOutcome::rejected(std::move(detail));
  return std::nullopt;
}

}  // namespace switchyard::connectors::kaseya_v2
