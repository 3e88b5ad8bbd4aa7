// Polling ConnectWise for changes where no callback is registered:
//   GET /service/tickets?conditions=lastUpdated >= [since]&orderBy=id asc&page=N&pageSize=M
// ">=" rather than ">" so a record updated in the same second as the last poll is not
// missed; re-reading the boundary record costs nothing because its version dedups.
#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr int kPageSize = 200;
constexpr int kMaxPagesPerPoll = 50;  // the watermark resumes the rest next time

}  // namespace

Result<PollResult> ConnectWiseConnector::poll(const Tenant& tenant, PsaHttp& http, const PollRequest& request) const {
  const std::string_view collection = collection_of(request.entity);
  if (collection.empty()) return make_error("unsupported_entity", "connectwise: cannot poll \"" + request.entity + "\"");

  PollResult result;
  std::string watermark = request.since;
  simdjson::dom::parser parser;
  for (int page = 1; page <= kMaxPagesPerPoll; ++page) {
    std::string url = tenant.base_url + "/" + std::string(collection) + "?orderBy=" + http::url_encode("id asc") +
                      "&page=" + std::to_string(page) + "&pageSize=" + std::to_string(kPageSize);
    if (!request.since.empty()) {
      url += "&conditions=" + http::url_encode("lastUpdated >= [" + request.since + "]");
    }
    http::ClientRequest call;
    call.url = url;
    call.headers = auth_headers(tenant);
    auto response = http.send(call);
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
      if (*version > watermark) watermark = *version;  // RFC 3339 UTC strings order by time
      result.changes.push_back(
          Change{request.entity, *id, "updated", *version, std::string(simdjson::minify(item))});
    }
    if (count < static_cast<size_t>(kPageSize)) break;
  }
  if (!result.changes.empty()) result.high_watermark = watermark;
  return result;
}

}  // namespace switchyard::connectors::connectwise
