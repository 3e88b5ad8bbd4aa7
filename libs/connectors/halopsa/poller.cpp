// Polling HaloPSA for changes:
//   GET /api/Tickets?pageinate=true&page_size=N&page_no=P&order=id&orderdesc=false
//       &lastupdatefromdate=<since>
// (ClientContract takes no lastupdatefromdate: its pages are read whole and filtered here.)
// Pages are numbered, so the list must not shift under a delta being read: it is ordered by
// id, and the filter only ever gains records (an updated record keeps its place; a new one has
// a higher id and comes last). The cursor is the number of the next page to read, so a later
// call (or another replica) resumes there. A record deleted mid-delta shifts later records one
// place back; the next delta (from the unchanged watermark) reads them again.
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/halopsa/errors.h"
#include "connectors/halopsa/halopsa_connector.h"
#include "connectors/page_poll.h"

namespace switchyard::connectors::halopsa {
namespace {

std::string page_url(const Tenant& tenant, const Resource& resource, const PollRequest& request, int page_size,
                     int page_no) {
  std::string url = api_url(tenant, resource.path);
  url.append("?pageinate=true&page_size=").append(std::to_string(page_size));
  url.append("&page_no=").append(std::to_string(page_no));
  url.append("&order=id&orderdesc=false");
  if (!request.since.empty() && resource.filters_by_change) url.append("&lastupdatefromdate=").append(http::url_encode(request.since));
  return url;
}

}  // namespace

Result<PollResult> HaloConnector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const auto& pollable = spec().pollable_entities;
  const Resource* resource =
      std::ranges::find(pollable, request.entity) == pollable.end() ? nullptr : resource_of(request.entity);
  if (!resource) return make_error("unsupported_entity", "halopsa: cannot poll \"" + request.entity + "\"");
  auto start = start_page_poll("halopsa", request);
  if (!start) return start.error();
  int page_no = start->page;
  const int page_size = page_size_of(request, spec().page_sizes);
  const int max_pages = start->max_pages;
  const std::string what = "reading " + std::string(resource->path);
  const auto since = start->since;

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    http::ClientRequest call;
    call.url = page_url(tenant, *resource, request, page_size, page_no);
    call.headers = {{"Accept", "application/json"}};
    auto response = http.send(call);
    ++result.pages;
    if (!response) return response.error();
    if (response->status != 200) {
      return make_error("psa_error", explain_error(*response, what, std::string(resource->path) + ": read"));
    }
    simdjson::dom::element root;
    simdjson::dom::object page;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root.get(page) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "halopsa: " + what + ": the answer is not a JSON object");
    }
    auto records = json::required_array(page, resource->list_member, "");
    if (!records) return make_error("invalid_payload", "halopsa: " + what + ": " + records.error().message);
    auto total = json::optional_int(page, "record_count", "");
    if (!total) return make_error("invalid_payload", "halopsa: " + what + ": " + total.error().message);
    size_t count = 0;
    for (simdjson::dom::element item : *records) {
      ++count;
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      auto id = json::required_id(record, "id", "");
      auto changed = json::optional_string(record, resource->change_field, "");
      if (!id || !changed || !*changed) continue;
      const auto version = halo_time(**changed);
      if (!version) continue;
      // The list could not filter: a record changed before the delta is not part of it.
      if (since && !resource->filters_by_change && *parse_rfc3339(*version) < *since) continue;
      if (*version > result.high_watermark) result.high_watermark = *version;  // RFC 3339 UTC strings order by time
      result.changes.push_back(Change{request.entity, *id, "updated", *version, std::string(simdjson::minify(item))});
    }
    ++page_no;
    result.cursor = std::to_string(page_no);
    const bool last_by_count = *total && static_cast<int64_t>(page_no - 1) * page_size >= **total;
    if (count < static_cast<size_t>(page_size) || last_by_count) {
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace switchyard::connectors::halopsa
