// Polling ConnectWise for changes where no callback is registered. Records come sorted by
// change time, then id, and each page starts after the last record of the previous one
// (keyset paging, not page numbers):
//   GET /service/tickets?conditions=lastUpdated >= [since]
//       &orderBy=_info/lastUpdated asc, id asc&page=1&pageSize=M
//   next pages: conditions=lastUpdated > [L] or (lastUpdated >= [L] and id > I)
// where (L, I) is the last record read. Page numbers would shift when a record read earlier is
// updated meanwhile (it moves to the end), and the record pushed across the page boundary would
// be skipped; a keyset does not move. Because of the sort, everything before (L, I) has been
// read, so (L, I) is also the cursor a later call (or another replica, after a restart)
// resumes from — the delta never has to be read in one go, and ids in any order are fine.
// ">=" rather than ">" for `since` so a record updated in the same second as the watermark is
// not missed; re-reading the boundary record costs nothing because its version dedups.
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/connectwise/poll_keyset.h"

namespace switchyard::connectors::connectwise {

std::optional<KeysetPosition> parse_keyset_cursor(std::string_view cursor) {
  const size_t bar = cursor.find('|');
  if (bar == std::string_view::npos) return std::nullopt;
  KeysetPosition p{std::string(cursor.substr(0, bar)), std::string(cursor.substr(bar + 1))};
  if (!parse_rfc3339(p.updated) || p.id.empty() ||
      p.id.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return p;
}

std::string keyset_conditions(const PollRequest& request, const std::optional<KeysetPosition>& after) {
  if (after) {
    // ">=" in the second half, not "=": should ConnectWise keep a finer time than the second it
    // shows, a record of the same second still matches (re-read, not missed).
    return "lastUpdated > [" + after->updated + "] or (lastUpdated >= [" + after->updated + "] and id > " +
           after->id + ")";
  }
  if (!request.since.empty()) return "lastUpdated >= [" + request.since + "]";
  return "";
}

std::string keyset_page_url(const Tenant& tenant, std::string_view collection, const PollRequest& request,
                            const std::optional<KeysetPosition>& after, int page_size, std::string_view fields) {
  std::string url = tenant.base_url;
  url.append("/").append(collection).append("?orderBy=").append(http::url_encode(kPollOrderBy));
  url.append("&page=1&pageSize=").append(std::to_string(page_size));
  if (const std::string conditions = keyset_conditions(request, after); !conditions.empty()) {
    url.append("&conditions=").append(http::url_encode(conditions));
  }
  if (!fields.empty()) url.append("&fields=").append(http::url_encode(fields));
  return url;
}

Result<PollResult> ConnectWiseConnector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const auto& pollable = spec().pollable_entities;
  const std::string_view collection =
      std::ranges::find(pollable, request.entity) == pollable.end() ? std::string_view{} : collection_of(request.entity);
  if (collection.empty()) return make_error("unsupported_entity", "connectwise: cannot poll \"" + request.entity + "\"");
  if (request.entity == "ticket_note") return poll_ticket_notes(tenant, http, request);
  std::optional<KeysetPosition> after;
  if (!request.cursor.empty()) {
    after = parse_keyset_cursor(request.cursor);
    if (!after) return make_error("invalid_cursor", "connectwise: poll cursor \"" + request.cursor + "\" is not lastUpdated|id");
  }
  const int page_size = page_size_of(request, spec().page_sizes);
  const int max_pages = std::max(1, request.max_pages);

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    http::ClientRequest call;
    call.url = keyset_page_url(tenant, collection, request, after, page_size);
    call.headers = auth_headers(tenant);
    auto response = http.send(call);
    ++result.pages;
    if (!response) return response.error();
    if (response->status != 200) {
      return make_error("psa_error", "connectwise answered " + std::to_string(response->status) + " to a poll of " +
                                         std::string(collection));
    }
    simdjson::dom::element root;
    simdjson::dom::array records;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root.get(records) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "connectwise poll of " + std::string(collection) + ": not a JSON array");
    }
    size_t count = 0;
    bool advanced = false;
    for (simdjson::dom::element item : records) {
      ++count;
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      auto id = json::required_id(record, "id", "");
      auto info = json::optional_object(record, "_info", "");
      if (!id || !info || !*info) continue;
      auto updated = json::required_string(**info, "lastUpdated", "_info");
      if (!updated) continue;
      auto version = normalize_rfc3339(*updated);
      if (!version) continue;
      if (*version > result.high_watermark) result.high_watermark = *version;  // RFC 3339 UTC strings order by time
      after = KeysetPosition{*version, *id};
      advanced = true;
      result.changes.push_back(
          Change{request.entity, *id, "updated", *version, std::string(simdjson::minify(item))});
    }
    if (after) result.cursor = after->cursor();
    if (count < static_cast<size_t>(page_size)) {
      result.complete = true;
      break;
    }
    if (!advanced) {
      // A full page of records none of which has a usable id and lastUpdated: there is no
      // position to continue from, and asking again would return the same page.
      return make_error("invalid_payload", "connectwise poll of " + std::string(collection) +
                                               ": a full page without id and _info.lastUpdated");
    }
  }
  return result;
}

}  // namespace switchyard::connectors::connectwise
