// Polling Syncro for changes:
//   GET /tickets?page=P&since_updated_at=<since>     (tickets take since_updated_at)
//   GET /customers?page=P  (customers, contacts, contracts, customer_assets: read whole and
//                           filtered here by updated_at, as the spec lists no change filter)
// Syncro sets the page size and reports meta.total_pages; the cursor is the number of the next
// page, so a later call (or another replica) resumes there. The spec states no list order: the
// guide (docs/psa/syncro.md) says what that means for a delta read while records are created.
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/syncro/errors.h"
#include "connectors/syncro/syncro_connector.h"
#include "connectors/page_poll.h"

namespace switchyard::connectors::syncro {
namespace {

std::string page_url(const Tenant& tenant, const Resource& resource, const PollRequest& request, int page) {
  std::string url = api_url(tenant, resource.path);
  url.append("?page=").append(std::to_string(page));
  if (!request.since.empty() && resource.filters_by_change) {
    url.append("&since_updated_at=").append(http::url_encode(request.since));
  }
  return url;
}

}  // namespace

Result<PollResult> SyncroConnector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const auto& pollable = spec().pollable_entities;
  const Resource* resource =
      std::ranges::find(pollable, request.entity) == pollable.end() ? nullptr : resource_of(request.entity);
  if (!resource) return make_error("unsupported_entity", "syncro: cannot poll \"" + request.entity + "\"");
  auto start = start_page_poll("syncro", request);
  if (!start) return start.error();
  int page = start->page;
  const int max_pages = start->max_pages;
  const std::string what = "reading " + std::string(resource->path);
  const auto since = start->since;

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    http::ClientRequest call;
    call.url = page_url(tenant, *resource, request, page);
    call.headers = api_headers(tenant);
    auto response = http.send(call);
    ++result.pages;
    if (!response) return response.error();
    if (response->status != 200) return make_error("psa_error", explain_error(*response, what, resource->read_permission));
    simdjson::dom::element root;
    simdjson::dom::object body;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root.get(body) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "syncro: " + what + ": the answer is not a JSON object");
    }
    auto records = json::required_array(body, resource->list_member, "");
    if (!records) return make_error("invalid_payload", "syncro: " + what + ": " + records.error().message);
    // meta.total_pages ends the read; without it, an empty page does.
    std::optional<int64_t> total_pages;
    if (auto meta = json::optional_object(body, "meta", ""); meta && *meta) {
      auto total = json::optional_int(**meta, "total_pages", "meta");
      if (!total) return make_error("invalid_payload", "syncro: " + what + ": " + total.error().message);
      total_pages = *total;
    }
    size_t count = 0;
    for (simdjson::dom::element item : *records) {
      ++count;
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      auto id = json::required_id(record, "id", "");
      auto changed = json::optional_string(record, "updated_at", "");
      if (!id || !changed || !*changed) continue;
      const auto version = syncro_time(**changed);
      if (!version) continue;
      // Checked for every list: only tickets filter, and their filter is documented as "after".
      if (since && *parse_rfc3339(*version) < *since) continue;
      if (*version > result.high_watermark) result.high_watermark = *version;  // RFC 3339 UTC strings order by time
      result.changes.push_back(Change{request.entity, *id, "updated", *version, std::string(simdjson::minify(item))});
    }
    ++page;
    result.cursor = std::to_string(page);
    if (count == 0 || (total_pages && page > *total_pages)) {
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace switchyard::connectors::syncro
