#include "connectors/halopsa/write_calls.h"

#include <simdjson.h>

#include "common/field_choice.h"
#include "connectors/halopsa/errors.h"
#include "connectors/halopsa/halopsa_connector.h"
#include "connectors/write_values.h"

namespace switchyard::connectors::halopsa {
namespace {

// A search answer is read whole; more than this is not a list of a few hits.
constexpr size_t kMaxSearchAnswer = 4 * 1024 * 1024;

}  // namespace

Call send(PsaHttp& psa, const Tenant& t, std::string method, std::string_view path, std::string body,
          std::string_view what, std::string_view permission) {
  http::ClientRequest request;
  request.method = std::move(method);
  request.url = api_url(t, path);
  request.headers = {{"Accept", "application/json"}};  // the token provider adds the bearer token
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  auto answer = psa.send(request);
  if (!answer) {
    std::string detail = "HaloPSA could not be reached while ";
    detail.append(what).append(": ").append(answer.error().message);
    return {std::nullopt, WriteOutcome::retryable(std::move(detail))};
  }
  if (answer->status < 200 || answer->status > 299) return {std::nullopt, outcome_of_error(*answer, what, permission)};
  return {std::move(*answer), std::nullopt};
}

std::optional<std::string> written_id(const http::ClientResponse& answer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(answer.body).get(root) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::array items;
  if (root.get(items) == simdjson::SUCCESS) {
    if (items.size() == 0) return std::nullopt;
    root = items.at(0).value_unsafe();
  }
  int64_t id = 0;
  if (root["id"].get(id) != simdjson::SUCCESS || id < 1) return std::nullopt;
  return std::to_string(id);
}

std::string reference_of(std::string_view external_ref) {
  std::string reference = "sy-ref:";
  reference.append(external_ref);
  return reference;
}

std::optional<int64_t> halo_id(std::string_view id) {
  if (!is_numeric_id(id)) return std::nullopt;
  const int64_t value = std::stoll(std::string(id));
  if (value < 1) return std::nullopt;
  return value;
}

// A choice as the id Halo takes: an id as sent, a canonical value through the tenant's
// mappings over the connector's defaults. Labels would need the /Status and /Priority lists.
std::optional<int64_t> choice_id(const std::optional<FieldChoice>& choice, std::string_view kind,
                                 const MappingLookup& mappings, std::optional<WriteOutcome>& failure) {
  if (!choice || failure) return std::nullopt;
  const std::string field = kind == "ticket_type" || kind == "configuration_type" ? "type" : std::string(kind);
  std::string id = choice->value;
  if (choice->kind == FieldChoice::Kind::Label) {
    std::string detail = "payload.";
    detail.append(field).append(": HaloPSA takes ids, and labels are not looked up yet: send {\"id\": N}, or a "
                                "canonical value the tenant's \"").append(kind).append("\" mappings name");
    failure = WriteOutcome::rejected(std::move(detail));
    return std::nullopt;
  }
  if (choice->kind == FieldChoice::Kind::Canonical) {
    auto mapped = mappings.resolve(kind, choice->value);
    if (!mapped) {
      std::string detail = "payload.";
      detail.append(field).append(": \"").append(choice->value).append("\" is not in the tenant's \"").append(kind)
          .append("\" mappings: add it (value: a HaloPSA id), or send {\"id\": N}");
      failure = WriteOutcome::rejected(std::move(detail));
      return std::nullopt;
    }
    id = *mapped;
  }
  if (auto number = halo_id(id)) return number;
  std::string detail = "payload.";
  detail.append(field).append(": \"").append(id).append("\" is not a HaloPSA id (a positive number)");
  failure = WriteOutcome::rejected(std::move(detail));
  return std::nullopt;
}

std::optional<std::string> existing_ticket(PsaHttp& psa, const Tenant& t, WriteMemo& memo, const std::string& ref,
                                           std::optional<WriteOutcome>& failure) {
  if (auto id = memo.lookup(t, "ticket", ref)) return id;
  const std::string reference = reference_of(ref);
  std::string path = "Tickets?search_supplier_reference=";
  path.append(http::url_encode(reference));
  auto call = send(psa, t, "GET", path, "", "looking the ticket up by its reference", "Tickets (read)");
  if (call.failure) {
    failure = std::move(call.failure);
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::array tickets;
  if (call.response->body.size() > kMaxSearchAnswer ||
      parser.parse(call.response->body)["tickets"].get(tickets) != simdjson::SUCCESS) {
    failure = WriteOutcome::retryable("HaloPSA's ticket search answered without a tickets list");
    return std::nullopt;
  }
  for (simdjson::dom::element ticket : tickets) {
    std::string_view stamped;
    int64_t id = 0;
    if (ticket["supplier_reference"].get(stamped) == simdjson::SUCCESS && stamped == reference &&
        ticket["id"].get(id) == simdjson::SUCCESS && id > 0) {
      memo.remember(t, "ticket", ref, std::to_string(id));
      return std::to_string(id);
    }
  }
  return std::nullopt;
}

}  // namespace switchyard::connectors::halopsa
