#include "connectors/lookup_list.h"

#include <array>

namespace switchyard::connectors {
namespace {

constexpr std::array<std::string_view, 8> kNames = {"boards",       "queues",     "statuses",  "priorities",
                                                    "ticket_types", "agreements", "contracts", "products"};

}  // namespace

std::span<const std::string_view> lookup_list_names() { return kNames; }

std::optional<std::string> canonical_lookup_list(std::string_view name) {
  if (name == "queues") return "boards";
  if (name == "contracts") return "agreements";
  for (std::string_view known : kNames) {
    if (known == name) return std::string(name);
  }
  return std::nullopt;
}

bool valid_lookup_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<LookupItem>> read_numbered_pages(
    int page_size, const std::function<Result<size_t>(int page, std::vector<LookupItem>&)>& read_page) {
  std::vector<LookupItem> items;
  // The page bound is a second guard against a PSA that ignores the page number.
  const int max_pages = static_cast<int>(kLookupCap / static_cast<size_t>(page_size)) + 2;
  for (int page = 1; page <= max_pages; ++page) {
    auto read = read_page(page, items);
    if (!read) return read.error();
    if (*read < static_cast<size_t>(page_size) || items.size() > kLookupCap) break;
  }
  return items;
}

std::optional<std::string> lookup_id(simdjson::dom::element record, std::string_view key) {
  simdjson::dom::element id;
  if (record[key].get(id) != simdjson::SUCCESS) return std::nullopt;
  int64_t number = 0;
  std::string_view text;
  if (id.get(number) == simdjson::SUCCESS) return std::to_string(number);
  if (id.get(text) == simdjson::SUCCESS && !text.empty()) return std::string(text);
  return std::nullopt;
}

std::string lookup_text(simdjson::dom::element record, std::string_view key) {
  std::string_view text;
  return record[key].get(text) == simdjson::SUCCESS ? std::string(text) : std::string();
}

Result<std::string> lookup_call(PsaHttp& http, http::ClientRequest request, std::string_view psa) {
  // The path alone in messages: a query may carry a filter, never a secret, but stays short.
  const std::string path = request.method + " " + request.url.substr(0, request.url.find('?'));
  auto response = http.send(request);
  if (!response) return response.error();
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  const std::string said = std::string(psa) + " answered " + std::to_string(response->status) + " to " + path;
  if (response->status == 429) return make_error("throttled", said + ": its rate limit; try again shortly");
  if (response->status == 401) return make_error("credentials_refused", said + ": check the tenant's API credentials");
  if (response->status == 403) {
    return make_error("forbidden", said + ": the API user lacks read access to this list");
  }
  return make_error("psa_error", said);
}

}  // namespace switchyard::connectors
