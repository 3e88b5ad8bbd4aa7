// Polling Autotask with a QueryModel (docs/psa/autotask.md):
//   POST /V1.0/Tickets/query {"MaxRecords":500,"Filter":[{"op":"gte","field":"lastActivityDate","value":since}]}
// Autotask cannot sort a query: it answers in id order, at most MaxRecords (500) a page, and
// its nextPageUrl is the same query restricted to ids after the page's last one. So a delta
// is read to its last page before the caller may move its watermark (a later page can hold
// records older than those already read), and the cursor of a delta is the last id read: a
// call that resumes asks for the same filter plus "id > cursor", which is the page Autotask's
// own nextPageUrl would have served. A backfill (empty `since`) is the filter "id > cursor"
// alone.
#include <simdjson.h>

#include "common/json_writer.h"
#include "connectors/autotask/autotask_connector.h"

namespace switchyard::connectors::autotask {
namespace {


bool is_id(std::string_view text) {
  return !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string first_query(const PollRequest& request, int page_size) {
  JsonWriter q;
  q.begin_object().field("MaxRecords", page_size).key("Filter").begin_array();
  if (!request.since.empty()) {
    q.begin_object().field("op", "gte").field("field", "lastActivityDate").field("value", request.since).end_object();
  }
  if (!request.cursor.empty()) {
    q.begin_object().field("op", "gt").field("field", "id").field("value", static_cast<int64_t>(std::stoll(request.cursor))).end_object();
  } else if (request.since.empty()) {
    q.begin_object().field("op", "gte").field("field", "id").field("value", 0).end_object();
  }
  q.end_array().end_object();
  return q.take();
}

}  // namespace

Result<PollResult> AutotaskConnector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const std::string_view entity = entity_of(request.entity);
  if (entity.empty() || (request.entity != "ticket" && request.entity != "company")) {
    return make_error("unsupported_entity", "autotask: cannot poll \"" + request.entity + "\"");
  }
  if (!request.cursor.empty() && !is_id(request.cursor)) {
    return make_error("invalid_cursor", "autotask: poll cursor \"" + request.cursor + "\" is not an id");
  }
  const int page_size = page_size_of(request, spec().page_sizes);
  const int max_pages = std::max(1, request.max_pages);

  PollResult result;
  result.complete = false;
  result.cursor = request.cursor;
  std::string url = tenant.base_url + "/V1.0/" + std::string(entity) + "/query";
  const std::string body = first_query(request, page_size);
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    // The first page is a POST of the QueryModel; later pages follow nextPageUrl verbatim.
    const bool first = result.pages == 0;
    http::ClientRequest call{.method = first ? "POST" : "GET", .url = url, .headers = auth_headers(tenant),
                             .body = first ? body : ""};
    auto response = http.send(call);
    ++result.pages;
    if (!response) return response.error();
    if (response->status != 200) {
      return make_error("psa_error", "autotask answered " + std::to_string(response->status) + " to a poll of " +
                                         std::string(entity));
    }
    simdjson::dom::element root;
    simdjson::dom::array items;
    if (parser.parse(response->body).get(root) != simdjson::SUCCESS || root["items"].get(items) != simdjson::SUCCESS) {
      return make_error("invalid_payload", "autotask poll: no items array");
    }
    for (simdjson::dom::element item : items) {
      simdjson::dom::object record;
      if (item.get(record) != simdjson::SUCCESS) continue;
      auto id = record_id_text(record);
      if (!id || !is_id(*id)) continue;
      // Ids come in ascending order; the largest one read is where the next call resumes.
      if (result.cursor.empty() || id->size() > result.cursor.size() ||
          (id->size() == result.cursor.size() && *id > result.cursor)) {
        result.cursor = *id;
      }
      auto version = record_version(record);
      if (!version) continue;
      if (*version > result.high_watermark) result.high_watermark = *version;
      result.changes.push_back(Change{request.entity, *id, "updated", *version, std::string(simdjson::minify(item))});
    }
    std::string_view next;
    url = root["pageDetails"]["nextPageUrl"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
    if (url.empty()) {
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace switchyard::connectors::autotask
