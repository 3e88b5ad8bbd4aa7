// Polling a v2 list for changes:
//   GET /v2/<list>?PageNumber=P&PageSize=N[&<since filter>=<since>]
// until a page comes back empty (or TotalRecords is reached, which saves a call of the hourly
// budget). Tickets filter by Filter.LastActivityUpdateFrom and accounts by Filter.ModifiedOnFrom;
// the other lists have no change filter and no change time, so each poll reads them whole and
// versions each record by a digest of it (an unchanged record dedups). The cursor is the next
// page's number. With options.account_types ("Customer,Prospect"), a company poll reads only
// those account types, one after the other (Filter.AccountTypeName), and the cursor is
// "<type index>.<page>".
#include <algorithm>
#include <charconv>

#include "common/time_format.h"
#include "connectors/kaseya_v2/v2_connector.h"
#include "connectors/kaseya_v2/v2_json.h"
#include "connectors/page_poll.h"

namespace switchyard::connectors::kaseya_v2 {
namespace {

constexpr size_t kMaxPageRecords = 1000;  // more than any page asked for: the answer is not trusted

constexpr size_t kMaxAccountTypes = 20;
constexpr size_t kMaxAccountType = 64;

// The account types a company poll imports (options.account_types, comma-separated); empty =
// every account. Types beyond the bounds are an error rather than silently dropped.
Result<std::vector<std::string>> account_types(const Tenant& tenant, const Resource& resource) {
  std::vector<std::string> types;
  const auto it = tenant.options.find("account_types");
  if (resource.canonical != "company" || it == tenant.options.end()) return types;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view type = rest.substr(0, comma);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (type.size() > kMaxAccountType) return make_error("invalid_argument", "options.account_types: a type is longer than 64 characters");
    if (!type.empty()) types.emplace_back(type);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (types.size() > kMaxAccountTypes) return make_error("invalid_argument", "options.account_types: at most 20 types");
  return types;
}

std::string page_url(const Tenant& tenant, const Resource& resource, const PollRequest& request, int page,
                     int page_size, std::string_view account_type) {
  std::string url = api_url(tenant, resource.list_path);
  url.append("?PageNumber=").append(std::to_string(page)).append("&PageSize=").append(std::to_string(page_size));
  if (!request.since.empty() && !resource.since_filter.empty()) {
    url.append("&").append(resource.since_filter).append("=").append(http::url_encode(request.since));
  }
  if (!account_type.empty()) url.append("&Filter.AccountTypeName=").append(http::url_encode(account_type));
  return url;
}

}  // namespace

Result<PollResult> V2Connector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const std::string psa(flavor_.psa);
  const auto& pollable = spec().pollable_entities;
  const Resource* resource =
      std::ranges::find(pollable, request.entity) == pollable.end() ? nullptr : resource_of(request.entity);
  if (!resource) return make_error("unsupported_entity", psa + ": cannot poll \"" + request.entity + "\"");
  auto types = account_types(tenant, *resource);
  if (!types) return make_error(types.error().code, psa + ": " + types.error().message);
  size_t type_index = 0;
  std::string_view page_text = request.cursor;
  if (!request.cursor.empty()) {
    if (!types->empty()) {  // "<type index>.<page>"
      const size_t dot = page_text.find('.');
      size_t index = 0;
      const auto digits = page_text.substr(0, dot == std::string_view::npos ? 0 : dot);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (dot == std::string_view::npos || digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
          index >= types->size()) {
        return make_error("invalid_cursor", psa + ": poll cursor \"" + request.cursor + "\" names no account type");
      }
      type_index = index;
      page_text.remove_prefix(dot + 1);
    }
  }
  PollRequest paged = request;
  paged.cursor = std::string(page_text);
  auto start = start_page_poll(psa, paged);
  if (!start) return start.error();
  int page = start->page;
  const auto cursor_of = [&](size_t index, int at) {
    return types->empty() ? std::to_string(at) : std::to_string(index) + "." + std::to_string(at);
  };
  const auto since = start->since;
  const int page_size = page_size_of(request, spec().page_sizes);
  const int max_pages = start->max_pages;
  std::string what = "reading ";
  what.append(resource->label);

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    const std::string_view type = types->empty() ? std::string_view() : std::string_view((*types)[type_index]);
    auto response = http.send({.method = "GET", .url = page_url(tenant, *resource, request, page, page_size, type),
                               .headers = json_headers()});
    ++result.pages;
    if (!response) return response.error();
    const Answer answer = read_answer(parser, *response, flavor_, what, resource->permission);
    if (!answer.ok) return make_error("psa_error", answer.detail);
    simdjson::dom::array records;
    if (answer.result.get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", psa + ": " + what + ": the envelope's Result is not a list");
    }
    if (records.size() > kMaxPageRecords) {
      return make_error("invalid_payload", psa + ": " + what + ": a page holds more records than were asked for");
    }
    size_t count = 0;
    for (simdjson::dom::element item : records) {
      ++count;
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      const auto id = id_text(record, "Id");
      if (!id) continue;
      const std::string body = simdjson::minify(item);
      std::string version = version_of(*resource, record, body);
      const bool timed = !version.starts_with("sha256:");
      // A list that cannot filter is filtered here, when its records say when they changed.
      if (since && timed && resource->since_filter.empty() && *parse_rfc3339(version) < *since) continue;
      if (timed && version > result.high_watermark) result.high_watermark = version;
      result.changes.push_back(Change{request.entity, *id, "updated", std::move(version), body});
    }
    ++page;
    result.cursor = cursor_of(type_index, page);
    // TotalRecords is trusted only on a full page: a PSA that serves fewer than asked for would
    // otherwise end the read early. A short last page costs one more (empty) call.
    const bool past_total = answer.total && count == static_cast<size_t>(page_size) &&
                            static_cast<int64_t>(page - 1) * page_size >= *answer.total;
    if (count == 0 || past_total) {
      if (type_index + 1 < types->size()) {  // the next account type, from its first page
        ++type_index;
        page = 1;
        result.cursor = cursor_of(type_index, page);
        continue;
      }
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace switchyard::connectors::kaseya_v2
