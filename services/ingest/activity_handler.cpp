#include "ingest/activity_handler.h"

#include <charconv>

#include "common/activity_view.h"

namespace switchyard::ingest {

ActivityHandler::ActivityHandler(TenantAdminRoute route, RedisWorker& redis) : route_(std::move(route)), redis_(redis) {}

void ActivityHandler::handle(http::Request&& request, http::Responder respond) {
  const auto target = route_.admit(request, respond);
  if (!target) return;
  ActivityQuery query;
  query.tenant = target->tenant->id;
  query.kind = request.query_param("kind");
  query.outcome = request.query_param("outcome");
  query.since = request.query_param("since");
  query.cursor = request.query_param("cursor");
  const std::string problems = request.query_param("problems");
  if (!problems.empty() && problems != "true" && problems != "false") {
    return respond(route_.reject(400, "invalid_request", "problems: must be true or false"));
  }
  query.problems = problems == "true";
  if (const std::string limit = request.query_param("limit"); !limit.empty()) {
    size_t n = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc{} || end != limit.data() + limit.size()) {
      return respond(route_.reject(400, "invalid_request", "limit: must be 1 to 500"));
    }
    query.limit = n;
  }
  if (auto valid = validate_activity_query(query); !valid) {
    return respond(route_.reject(400, valid.error().code, valid.error().message));
  }
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  const TenantAdminRoute& route = route_;
  const bool queued = redis_.submit(
      [shared, query, &route](RedisClient& redis) {
        auto page = read_activity(redis, query);
        if (!page) return (*shared)(route.reject(503, page.error().code, page.error().message));
        (*shared)(http::json_response(200, activity_page_json(query.tenant, *page)));
      },
      [shared, &route] { (*shared)(route.reject(503, "shutting_down", "ingest is stopping; ask again")); });
  if (!queued) (*shared)(route_.reject(503, "busy", "too many activity reads are waiting; ask again shortly"));
}

}  // namespace switchyard::ingest
